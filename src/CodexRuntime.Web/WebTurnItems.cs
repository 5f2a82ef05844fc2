using System.Text.Json.Nodes;

namespace CodexRuntime.Web;

/// <summary>Which items of a turn the session state lists (commands and file changes), read from the item's wire JSON.</summary>
internal static class WebTurnItems
{
    public static WebTurnItem? From(JsonObject item)
    {
        var id = (string?)item["id"];
        var status = item["status"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
        return (string?)item["type"] switch
        {
            "commandExecution" when id is not null => new WebTurnItem(id, "commandExecution", (string?)item["command"] ?? string.Empty, status),
            "fileChange" when id is not null => new WebTurnItem(id, "fileChange",
                string.Join(", ", (item["changes"] as JsonArray ?? []).OfType<JsonObject>().Select(change => (string?)change["path"])), status),
            _ => null,
        };
    }
}
