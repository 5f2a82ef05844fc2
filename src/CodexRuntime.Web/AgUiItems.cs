using System.Text.Json.Nodes;

namespace CodexRuntime.Web;

/// <summary>
/// codex items (their wire JSON, as the session log and the thread history hold them) in AG-UI terms: what the agent
/// said, its reasoning, and its own tool use (command, file change, MCP tool call, web search, dynamic tool call) as a
/// tool call with arguments and a result; a call of one of the client's own tools (a dynamic tool the client
/// declared) as a call the client executed. One place, so the live stream and <c>MESSAGES_SNAPSHOT</c> agree.
/// </summary>
internal static class AgUiItems
{
    /// <summary>How the id of the tool message holding a codex tool's result ends (after the item id).</summary>
    public const string ResultSuffix = "/result";

    /// <summary>Metadata on every codex tool call: the agent ran it, the client must not.</summary>
    public static JsonObject AgentExecuted(string itemType) => Executed("agent", itemType);

    /// <summary>Metadata on a call of one of the client's tools: the client runs it and sends its result.</summary>
    public static JsonObject ClientExecuted() => Executed("client", "dynamicToolCall");

    /// <summary>Whether an item is codex calling one of the client's tools (by the tool's name).</summary>
    public static bool IsClientCall(JsonObject item, IReadOnlySet<string> clientTools) =>
        Type(item) == "dynamicToolCall" && (string?)item["tool"] is { } tool && clientTools.Contains(tool);

    public static string? Type(JsonObject item) => (string?)item["type"];

    public static string Id(JsonObject item) => (string?)item["id"] ?? string.Empty;

    /// <summary>An agent message's text.</summary>
    public static string? AgentText(JsonObject item) => Type(item) == "agentMessage" ? (string?)item["text"] : null;

    /// <summary>A reasoning item's text: its summary, then its content, blank-line separated.</summary>
    public static string? Reasoning(JsonObject item) => Type(item) == "reasoning"
        ? string.Join("\n\n", Strings(item["summary"]).Concat(Strings(item["content"])))
        : null;

    /// <summary>A user message's text parts.</summary>
    public static string? UserText(JsonObject item) => Type(item) == "userMessage"
        ? string.Join('\n', (item["content"] as JsonArray ?? []).OfType<JsonObject>().Where(p => (string?)p["type"] == "text").Select(p => (string?)p["text"]))
        : null;

    /// <summary>A tool item's name and arguments (JSON text), or null when the item is not the agent's tool use.</summary>
    public static (string Name, string Arguments)? Call(JsonObject item) => Type(item) switch
    {
        "commandExecution" => ("commandExecution", new JsonObject { ["command"] = Copy(item["command"]), ["cwd"] = Copy(item["cwd"]) }.ToJsonString()),
        "fileChange" => ("fileChange", new JsonObject { ["changes"] = Copy(item["changes"]) }.ToJsonString()),
        "mcpToolCall" => ($"mcp:{(string?)item["server"]}/{(string?)item["tool"]}", Copy(item["arguments"])?.ToJsonString() ?? "{}"),
        "webSearch" => ("webSearch", new JsonObject { ["query"] = Copy(item["query"]) }.ToJsonString()),
        "dynamicToolCall" => ((string?)item["tool"] ?? "dynamicTool", Copy(item["arguments"])?.ToJsonString() ?? "{}"),
        _ => null,
    };

    /// <summary>A completed tool item's result, as the text a tool message carries (JSON: status and what came out).</summary>
    public static string Result(JsonObject item) => (Type(item) switch
    {
        "commandExecution" => new JsonObject { ["status"] = Copy(item["status"]), ["exitCode"] = Copy(item["exitCode"]), ["output"] = Copy(item["aggregatedOutput"]) },
        "fileChange" => new JsonObject { ["status"] = Copy(item["status"]), ["paths"] = new JsonArray((item["changes"] as JsonArray ?? []).OfType<JsonObject>().Select(c => Copy(c["path"])).ToArray()) },
        "mcpToolCall" => new JsonObject { ["status"] = Copy(item["status"]), ["result"] = Copy(item["result"]), ["error"] = Copy(item["error"]?["message"]) },
        "webSearch" => new JsonObject { ["query"] = Copy(item["query"]), ["action"] = Copy(item["action"]) },
        _ => new JsonObject { ["status"] = Copy(item["status"]), ["success"] = Copy(item["success"]), ["content"] = Copy(item["contentItems"]) },
    }).ToJsonString();

    /// <summary>The AG-UI messages one history item becomes (for <c>MESSAGES_SNAPSHOT</c>).</summary>
    /// <param name="item">The item's wire JSON.</param>
    /// <param name="clientTools">The names of the client's tools on this thread.</param>
    public static IEnumerable<JsonObject> Messages(JsonObject item, IReadOnlySet<string> clientTools)
    {
        var id = Id(item);
        if (UserText(item) is { Length: > 0 } user)
        {
            yield return new JsonObject { ["id"] = id, ["role"] = "user", ["content"] = user };
        }
        else if (AgentText(item) is { Length: > 0 } text)
        {
            yield return new JsonObject { ["id"] = id, ["role"] = "assistant", ["content"] = text };
        }
        else if (Reasoning(item) is { Length: > 0 } thought)
        {
            yield return new JsonObject { ["id"] = id, ["role"] = "reasoning", ["content"] = thought };
        }
        else if (Call(item) is { } call)
        {
            var byClient = IsClientCall(item, clientTools);
            var toolCall = new JsonObject
            {
                ["id"] = id,
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = call.Arguments },
                ["metadata"] = byClient ? ClientExecuted() : AgentExecuted(Type(item)!),
            };
            yield return new JsonObject { ["id"] = id + "/call", ["role"] = "assistant", ["toolCalls"] = new JsonArray(toolCall) };
            yield return byClient ? ClientResult(item) : new JsonObject { ["id"] = id + ResultSuffix, ["role"] = "tool", ["toolCallId"] = id, ["content"] = Result(item) };
        }
    }

    /// <summary>
    /// A client tool's result as the client sent it (the text codex kept), so a reloaded page shows what its tool
    /// returned; a call that failed or was never answered carries an error.
    /// </summary>
    private static JsonObject ClientResult(JsonObject item)
    {
        var id = Id(item);
        var text = string.Join('\n', (item["contentItems"] as JsonArray ?? []).OfType<JsonObject>().Select(c => (string?)c["text"]).OfType<string>());
        var message = new JsonObject { ["id"] = id + ResultSuffix, ["role"] = "tool", ["toolCallId"] = id, ["content"] = text };
        if (item["success"] is not JsonValue success || !success.TryGetValue<bool>(out var ok) || !ok)
        {
            message["error"] = "The client's tool failed, or was not answered in time.";
        }

        return message;
    }

    private static JsonObject Executed(string by, string itemType) => new() { ["codex"] = new JsonObject { ["executedBy"] = by, ["itemType"] = itemType } };

    private static IEnumerable<string> Strings(JsonNode? node) =>
        (node as JsonArray ?? []).Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).OfType<string>();

    private static JsonNode? Copy(JsonNode? node) => node?.DeepClone();
}
