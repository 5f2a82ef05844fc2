using System.Text.Json;

namespace CodexRuntime.Web;

/// <summary>
/// Which of a run's tool messages answer the thread's waiting client tool call. A client resends its whole message
/// list each run, so a tool message counts once: the agent's own results it keeps (<c>itemId/result</c>) and the
/// messages already taken (by id) are history; a new one answers the call it names while that call waits, is late
/// when the call no longer waits, and names no call of this thread otherwise (404).
/// </summary>
internal static class AgUiToolResults
{
    /// <summary>The new tool messages that answer waiting calls, and one that came too late (if any); nothing is sent here.</summary>
    /// <exception cref="CodexWebException">A new tool message names a call this thread never made (404), or two answer one call (400).</exception>
    public static (List<(AgUiToolResult Result, WebApproval Call)> Answers, AgUiToolResult? Late) Sort(AgUiInput input, AgUiThread thread, WebSession session)
    {
        var answers = new List<(AgUiToolResult Result, WebApproval Call)>();
        AgUiToolResult? late = null;
        var waiting = session.Approvals.List().Where(a => IsClientCall(a, thread)).ToArray();
        foreach (var result in input.ToolResults.Where(r => !r.IsAgentResult && !thread.Taken(r.MessageId)))
        {
            if (waiting.FirstOrDefault(a => CallId(a) == result.ToolCallId) is { } call)
            {
                if (answers.Any(a => a.Call == call))
                {
                    throw new CodexWebException(CodexWebErrorKind.InvalidRequest, $"Two tool messages answer the call '{result.ToolCallId}'; send one.", result.Path);
                }

                answers.Add((result, call));
            }
            else if (thread.WasAnnounced(result.ToolCallId))
            {
                late ??= result;
            }
            else
            {
                throw new CodexWebException(CodexWebErrorKind.NotFound, "No call of your tools in this conversation has that id: a tool message answers a call the agent made (its TOOL_CALL_START's toolCallId).", $"{result.Path}.toolCallId");
            }
        }

        return (answers, late);
    }

    /// <summary>Whether a waiting request is codex calling one of the thread's client tools.</summary>
    public static bool IsClientCall(WebApproval approval, AgUiThread thread) =>
        approval.Kind == Sessions.WebApprovalKinds.DynamicToolCall.Name
        && approval.Params.ValueKind == JsonValueKind.Object
        && approval.Params.TryGetProperty("tool", out var tool) && tool.ValueKind == JsonValueKind.String
        && thread.ToolNames.Contains(tool.GetString()!);

    private static string? CallId(WebApproval approval) =>
        approval.Params.TryGetProperty("callId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
}
