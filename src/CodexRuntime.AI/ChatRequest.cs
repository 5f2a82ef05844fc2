using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace CodexRuntime.AI;

/// <summary>
/// What one <see cref="CodexChatClient"/> call asks of codex, read from M.E.AI's messages and options: the new user text
/// (codex holds a thread's history, so for an existing thread only the messages after the last assistant message are
/// sent; a new thread gets the whole list, earlier replies as a transcript), the approval answers and tool results,
/// the system text for a new thread, and the per-turn settings.
/// </summary>
internal sealed class ChatRequest
{
    private ChatRequest(string text, IReadOnlyList<ToolApprovalResponseContent> approvals, IReadOnlyList<FunctionResultContent> toolResults, string? systemText)
    {
        Text = text;
        Approvals = approvals;
        ToolResults = toolResults;
        SystemText = systemText;
    }

    /// <summary>The new user text (empty when the call only answers an approval).</summary>
    public string Text { get; }

    /// <summary>The approval answers the call carries.</summary>
    public IReadOnlyList<ToolApprovalResponseContent> Approvals { get; }

    /// <summary>The results of the caller's tools (codex's dynamic tool calls) the call carries, from tool messages after the last assistant message.</summary>
    public IReadOnlyList<FunctionResultContent> ToolResults { get; }

    /// <summary>True when the call answers a question of a parked turn (an approval or a tool call).</summary>
    public bool HasAnswers => Approvals.Count > 0 || ToolResults.Count > 0;

    /// <summary>System messages of the list, for the developer instructions of a new thread.</summary>
    public string? SystemText { get; }

    /// <summary>Reads a call's messages.</summary>
    /// <param name="messages">The call's messages.</param>
    /// <param name="newThread">
    /// True when no thread holds the history yet: then every message is sent, earlier replies as a transcript (a
    /// workflow hands the next agent the conversation so far); otherwise only what follows the last reply.
    /// </param>
    public static ChatRequest Read(IEnumerable<ChatMessage> messages, bool newThread)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IList<ChatMessage> ?? messages.ToList();
        // The last assistant message ends what codex already has; tool messages after it carry the results of the
        // caller's tools that codex called in that reply (what FunctionInvokingChatClient sends back).
        var lastReply = -1;
        for (var i = list.Count - 1; i >= 0; i--)
        {
            if (list[i].Role == ChatRole.Assistant)
            {
                lastReply = i;
                break;
            }
        }

        var transcript = newThread && lastReply >= 0;
        var text = new StringBuilder();
        var system = new StringBuilder();
        var approvals = new List<ToolApprovalResponseContent>();
        var toolResults = new List<FunctionResultContent>();
        for (var i = newThread ? 0 : lastReply + 1; i < list.Count; i++)
        {
            var message = list[i];
            if (!newThread && message.Role == ChatRole.Tool)
            {
                toolResults.AddRange(message.Contents.OfType<FunctionResultContent>());
                continue;
            }

            if (IsReply(message))
            {
                // Only the text of an earlier reply: its tool use was the other agent's and is not codex's to repeat.
                var said = string.Concat(message.Contents.OfType<TextContent>().Select(t => t.Text));
                if (said.Length > 0)
                {
                    Append(text, $"[{message.AuthorName ?? message.Role.Value}]: {said}");
                }

                continue;
            }

            var target = message.Role == ChatRole.System ? system : text;
            var label = transcript && message.Role != ChatRole.System ? $"[{message.AuthorName ?? message.Role.Value}]: " : string.Empty;
            foreach (var content in message.Contents)
            {
                switch (content)
                {
                    case TextContent { Text.Length: > 0 } part:
                        Append(target, label + part.Text);
                        break;
                    case TextContent:
                        break;
                    case ToolApprovalResponseContent approval:
                        approvals.Add(approval);
                        break;
                    default:
                        throw new NotSupportedException($"CodexChatClient sends text, approval answers and tool results (in tool messages) to codex; a {content.GetType().Name} in a {message.Role} message cannot be sent (docs/ai.md, limits).");
                }
            }
        }

        return new ChatRequest(text.ToString(), approvals, toolResults, system.Length == 0 ? null : system.ToString());
    }

    private static bool IsReply(ChatMessage message) => message.Role == ChatRole.Assistant || message.Role == ChatRole.Tool;

    /// <summary>The prompt of a new turn, with the per-turn settings of <paramref name="options"/>.</summary>
    public CodexPrompt Prompt(ChatOptions? options)
    {
        var prompt = new CodexPrompt(Text) { Effort = Effort(options?.Reasoning?.Effort), OutputSchema = OutputSchema(options?.ResponseFormat) };
        prompt.Summary = options?.Reasoning?.Output switch
        {
            ReasoningOutput.Summary => Protocol.ReasoningSummary.Auto,
            ReasoningOutput.Full => Protocol.ReasoningSummary.Detailed,
            _ => null,
        };

        return prompt;
    }

    private static void Append(StringBuilder target, string text)
    {
        if (target.Length > 0)
        {
            target.Append("\n\n");
        }

        target.Append(text);
    }

    /// <summary>M.E.AI's effort as codex's effort name.</summary>
    private static string? Effort(ReasoningEffort? effort) => effort switch
    {
        null => null,
        ReasoningEffort.None => "none",
        ReasoningEffort.Low => "low",
        ReasoningEffort.Medium => "medium",
        ReasoningEffort.High => "high",
        ReasoningEffort.ExtraHigh => "xhigh",
        _ => throw new NotSupportedException($"Reasoning effort {effort} has no codex equivalent."),
    };

    /// <summary>A JSON schema response format becomes codex's <c>outputSchema</c> (what <c>GetResponseAsync&lt;T&gt;</c> relies on).</summary>
    private static JsonElement? OutputSchema(ChatResponseFormat? format) => format switch
    {
        null or ChatResponseFormatText => null,
        ChatResponseFormatJson { Schema: { } schema } => schema,
        _ => throw new NotSupportedException("codex constrains output with a JSON schema only; use ChatResponseFormat.ForJsonSchema (or GetResponseAsync<T>) instead of plain JSON mode."),
    };
}
