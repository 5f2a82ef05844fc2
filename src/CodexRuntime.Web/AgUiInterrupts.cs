using System.Text.Json.Nodes;
using CodexRuntime.Web.Sessions;

namespace CodexRuntime.Web;

/// <summary>
/// codex's server requests as AG-UI interrupts, and a run's <c>resume</c> entries as the web adapter's approval
/// answers: an interrupt's id is the web approval's id, its <c>responseSchema</c> describes the payload its kind
/// takes (the REST approval answer's shape), and its metadata carries what the REST <c>approval</c> event shows.
/// </summary>
internal static class AgUiInterrupts
{
    /// <summary>The interrupt of an <c>approval</c> log event.</summary>
    /// <param name="approval">The event's data (a <see cref="WebApproval"/>).</param>
    /// <param name="id">The approval's id.</param>
    /// <param name="changes">A file change item's changes (with their diffs), by item id, as this run saw them.</param>
    public static JsonObject From(JsonObject approval, string id, Func<string, JsonNode?> changes)
    {
        var kind = (string?)approval["kind"] ?? string.Empty;
        var decisions = approval["decisions"] as JsonArray ?? [];
        var parameters = approval["params"] as JsonObject;
        var itemId = (string?)parameters?["itemId"];
        var codex = new JsonObject
        {
            ["kind"] = kind,
            ["command"] = approval["command"]?.DeepClone(),
            ["cwd"] = approval["cwd"]?.DeepClone(),
            ["reason"] = approval["reason"]?.DeepClone(),
            ["decisions"] = decisions.DeepClone(),
            ["resultType"] = approval["resultType"]?.DeepClone(),
            ["params"] = parameters?.DeepClone(),
        };
        if (kind == WebApprovalKinds.FileChange.Name && itemId is not null && changes(itemId) is { } diff)
        {
            codex["changes"] = diff.DeepClone();
        }

        var interrupt = new JsonObject
        {
            ["id"] = id,
            ["reason"] = "codex." + kind,
            ["message"] = Message(kind, (string?)approval["command"], (string?)approval["reason"]),
            ["responseSchema"] = decisions.Count > 0 ? DecisionSchema(decisions) : ResultSchema((string?)approval["resultType"] ?? "result"),
            ["metadata"] = new JsonObject { ["codex"] = codex },
        };
        if (itemId is not null)
        {
            interrupt["toolCallId"] = itemId; // the TOOL_CALL_START of the same item, when codex announced it
        }

        return interrupt;
    }

    /// <summary>
    /// The approval answer a resume entry stands for: its payload read as the REST approval answer, or for a
    /// cancelled interrupt the answer that refuses without ending the turn (decline, or an error).
    /// </summary>
    public static WebApprovalAnswer Answer(AgUiResume entry, string kind)
    {
        if (entry.Cancelled)
        {
            return kind == WebApprovalKinds.Command.Name || kind == WebApprovalKinds.FileChange.Name
                ? new WebApprovalAnswer("decline", null, null)
                : new WebApprovalAnswer(null, null, "The user dismissed the request.");
        }

        try
        {
            return WebRequests.ApprovalAnswer(entry.Payload!.Value);
        }
        catch (CodexWebException ex)
        {
            var member = ex.Member is null or "$" ? $"{entry.Path}.payload" : $"{entry.Path}.payload.{ex.Member}";
            throw new CodexWebException(ex.Kind, ex.Message, member);
        }
    }

    private static string Message(string kind, string? command, string? reason) => kind switch
    {
        "command" => $"codex asks to run: {command}" + (reason is null ? string.Empty : $" ({reason})"),
        "fileChange" => "codex asks to change files" + (reason is null ? "." : $": {reason}"),
        _ => reason ?? $"codex asks for an answer ({kind}).",
    };

    private static JsonObject DecisionSchema(JsonArray decisions) => new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject { ["decision"] = new JsonObject { ["type"] = "string", ["enum"] = decisions.DeepClone() } },
        ["required"] = new JsonArray("decision"),
        ["additionalProperties"] = false,
    };

    private static JsonObject ResultSchema(string resultType) => new()
    {
        ["type"] = "object",
        ["description"] = $"Exactly one of result (a codex {resultType}) or error.",
        ["properties"] = new JsonObject
        {
            ["result"] = new JsonObject { ["type"] = "object", ["description"] = $"A codex {resultType}." },
            ["error"] = new JsonObject
            {
                ["type"] = "object",
                ["properties"] = new JsonObject { ["message"] = new JsonObject { ["type"] = "string" } },
                ["required"] = new JsonArray("message"),
                ["additionalProperties"] = false,
            },
        },
        ["minProperties"] = 1,
        ["maxProperties"] = 1,
        ["additionalProperties"] = false,
    };
}
