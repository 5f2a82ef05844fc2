using System.Text.Json.Nodes;

namespace CodexRuntime.Web;

/// <summary>
/// codex items (their wire JSON, as the session log and the thread history hold them) in AG-UI terms: what the agent
/// said, its reasoning, and its own tool use (command, file change, MCP tool call, web search, dynamic tool call) as a
/// tool call with arguments and a result. One place, so the live stream and <c>MESSAGES_SNAPSHOT</c> agree.
/// </summary>
internal static class AgUiItems
{
    /// <summary>Metadata on every codex tool call: the agent ran it, the client must not.</summary>
    public static JsonObject AgentExecuted(string itemType) => new() { ["codex"] = new JsonObject { ["executedBy"] = "agent", ["itemType"] = itemType } };

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
    public static IEnumerable<JsonObject> Messages(JsonObject item)
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
            var toolCall = new JsonObject
            {
                ["id"] = id,
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = call.Arguments },
                ["metadata"] = AgentExecuted(Type(item)!),
            };
            yield return new JsonObject { ["id"] = id + "/call", ["role"] = "assistant", ["toolCalls"] = new JsonArray(toolCall) };
            yield return new JsonObject { ["id"] = id + "/result", ["role"] = "tool", ["toolCallId"] = id, ["content"] = Result(item) };
        }
    }

    private static IEnumerable<string> Strings(JsonNode? node) =>
        (node as JsonArray ?? []).Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).OfType<string>();

    private static JsonNode? Copy(JsonNode? node) => node?.DeepClone();
}
