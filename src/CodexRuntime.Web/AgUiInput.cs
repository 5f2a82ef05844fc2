using System.Text;
using System.Text.Json;

namespace CodexRuntime.Web;

/// <summary>
/// One AG-UI <c>RunAgentInput</c> as this server reads it, member by member from the raw JSON like every other body
/// (<see cref="WebRequests"/>): an unknown member is a 400 naming it. codex holds the conversation, so of the messages
/// only the user messages after the agent's last message become the turn's input, and the tool messages are the
/// candidate results of the client's tools; <c>state</c>, <c>forwardedProps</c> and <c>parentRunId</c> are accepted
/// and not used.
/// </summary>
/// <param name="ThreadId">The client's thread id (its own name for the conversation).</param>
/// <param name="RunId">The client's run id.</param>
/// <param name="UserMessages">The user messages after the agent's last message (id and text): the candidates for the turn's input.</param>
/// <param name="Context">The run's context entries, as lines added to the input.</param>
/// <param name="HasReplies">Whether the messages hold anything the agent said: the client believes the thread has a history.</param>
/// <param name="MessageCount">How many messages the client sent (none: it asks for the thread's messages).</param>
/// <param name="Resume">The answers to the thread's interrupts.</param>
/// <param name="Tools">The client's tools (checked), as codex dynamic tools: offered when the run opens the thread.</param>
/// <param name="ToolResults">Every tool message in the list: the client's tool results, and the agent's results it keeps.</param>
internal sealed record AgUiInput(string ThreadId, string RunId, IReadOnlyList<(string Id, string Text)> UserMessages, IReadOnlyList<string> Context, bool HasReplies, int MessageCount, IReadOnlyList<AgUiResume> Resume, IReadOnlyList<Protocol.FunctionDynamicToolSpec> Tools, IReadOnlyList<AgUiToolResult> ToolResults)
{
    private const int MaxIdLength = 200;

    /// <summary>The roles of what the agent said: the new user messages are those after the last of these.</summary>
    private static readonly string[] AgentRoles = ["assistant", "tool", "reasoning", "activity"];

    /// <summary>Reads and checks a body; nothing has reached codex when this throws.</summary>
    public static AgUiInput Read(JsonElement body, WebAdapterOptions options)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw Invalid("$", "The run body must be a JSON object (an AG-UI RunAgentInput).");
        }

        WebRequests.RequireText(body, "$", Invalid);
        string? threadId = null, runId = null;
        JsonElement? messages = null;
        var context = new List<string>();
        var resume = new List<AgUiResume>();
        IReadOnlyList<Protocol.FunctionDynamicToolSpec> tools = [];
        foreach (var member in body.EnumerateObject())
        {
            switch (member.Name)
            {
                case "threadId":
                    threadId = Id(member);
                    break;
                case "runId":
                    runId = Id(member);
                    break;
                case "protocolVersion" when member.Value.ValueKind != JsonValueKind.String || !IsVersionOne(member.Value.GetString()!):
                    throw Invalid("protocolVersion", "This server speaks AG-UI 1.x; send protocolVersion \"1.0\" or leave it out.");
                case "protocolVersion" or "parentRunId" or "state" or "forwardedProps":
                    break; // the client's own bookkeeping: codex holds the thread's state
                case "messages" when member.Value.ValueKind == JsonValueKind.Array:
                    messages = member.Value;
                    break;
                case "tools" when member.Value.ValueKind == JsonValueKind.Array:
                    tools = AgUiTools.Read(member.Value);
                    break;
                case "context" when member.Value.ValueKind == JsonValueKind.Array:
                    context.AddRange(ContextLines(member.Value));
                    break;
                case "resume" when member.Value.ValueKind == JsonValueKind.Array:
                    resume.AddRange(Resumes(member.Value));
                    break;
                case "messages" or "tools" or "context" or "resume":
                    throw Invalid(member.Name, $"'{member.Name}' must be an array.");
                default:
                    throw Invalid(member.Name, $"'{member.Name}' is not a member of an AG-UI RunAgentInput; send threadId, runId, messages, and optionally tools, context, state, forwardedProps and resume.");
            }
        }

        if (threadId is null || runId is null || messages is not { } list)
        {
            throw Invalid(threadId is null ? "threadId" : runId is null ? "runId" : "messages", "threadId, runId and messages are required.");
        }

        var (users, hasReplies) = UserMessagesAfterReplies(list);
        var bytes = Encoding.UTF8.GetByteCount(string.Join("\n\n", users.Select(u => u.Text).Concat(context)));
        if (bytes > options.MaxPromptBytes)
        {
            throw new CodexWebException(CodexWebErrorKind.PromptTooLarge, $"The new messages are {bytes:N0} bytes; this server takes at most {options.MaxPromptBytes:N0}.", "messages");
        }

        return new AgUiInput(threadId, runId, users, context, hasReplies, list.GetArrayLength(), resume, tools, ToolMessages(list, options));
    }

    /// <summary>
    /// The turn's input: the user messages the thread has not taken yet (a client sends its whole list each run, and
    /// after an interrupt the last user message is still the last message), then the context; null when nothing is new.
    /// </summary>
    public string? NewText(Func<string, bool> taken)
    {
        var text = string.Join("\n\n", UserMessages.Where(u => !taken(u.Id) && u.Text.Length > 0).Select(u => u.Text));
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return Context.Count == 0 ? text : text + "\n\n" + string.Join('\n', Context);
    }

    /// <summary>The user messages after the agent's last message, and whether the agent said anything at all.</summary>
    private static (List<(string Id, string Text)> Users, bool HasReplies) UserMessagesAfterReplies(JsonElement messages)
    {
        var roles = new List<string>();
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object
                || !message.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String
                || !message.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String)
            {
                throw Invalid($"messages[{index}]", "Each message is an object with a string id and role.");
            }

            var name = role.GetString()!;
            if (name is "system" or "developer")
            {
                throw Invalid($"messages[{index}].role", "Instructions come from the server: send user messages only (system and developer messages are not taken).");
            }

            if (name != "user" && !AgentRoles.Contains(name, StringComparer.Ordinal))
            {
                throw Invalid($"messages[{index}].role", $"'{name}' is not an AG-UI message role.");
            }

            roles.Add(name);
            index++;
        }

        var lastReply = roles.FindLastIndex(r => r != "user");
        var users = new List<(string Id, string Text)>();
        index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            if (index > lastReply)
            {
                if (!message.TryGetProperty("content", out var content))
                {
                    throw Invalid($"messages[{index}].content", "A user message needs content.");
                }

                users.Add((message.GetProperty("id").GetString()!, ContentText(content, $"messages[{index}].content")));
            }

            index++;
        }

        return (users, lastReply >= 0);
    }

    /// <summary>
    /// Every tool message (id, the call it answers, its text and error), wherever it sits: a client resends its whole
    /// list each run, so which of them are new is decided against the thread (<see cref="AgUiRuns"/>). A result goes
    /// to codex as the call's output, so each is held to the prompt limit.
    /// </summary>
    private static List<AgUiToolResult> ToolMessages(JsonElement messages, WebAdapterOptions options)
    {
        var results = new List<AgUiToolResult>();
        var index = -1;
        foreach (var message in messages.EnumerateArray())
        {
            index++;
            if (message.GetProperty("role").GetString() != "tool")
            {
                continue;
            }

            var path = $"messages[{index}]";
            if (!message.TryGetProperty("toolCallId", out var callId) || callId.ValueKind != JsonValueKind.String || callId.GetString() is not { Length: > 0 and <= MaxIdLength })
            {
                throw Invalid($"{path}.toolCallId", $"A tool message needs toolCallId: the id of the call it answers (at most {MaxIdLength} characters).");
            }

            if (!message.TryGetProperty("content", out var content))
            {
                throw Invalid($"{path}.content", "A tool message needs content: the tool's result.");
            }

            string? error = null;
            if (message.TryGetProperty("error", out var failed))
            {
                error = failed.ValueKind == JsonValueKind.String ? failed.GetString() : throw Invalid($"{path}.error", "A tool message's error is a string (what went wrong).");
            }

            var result = new AgUiToolResult(message.GetProperty("id").GetString()!, callId.GetString()!, ContentText(content, $"{path}.content"), error, path);
            var bytes = Encoding.UTF8.GetByteCount(result.Output);
            if (bytes > options.MaxPromptBytes)
            {
                throw new CodexWebException(CodexWebErrorKind.PromptTooLarge, $"The tool result is {bytes:N0} bytes; this server takes at most {options.MaxPromptBytes:N0}.", $"{path}.content");
            }

            results.Add(result);
        }

        return results;
    }

    private static string ContentText(JsonElement content, string path)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString()!;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(path, "A message's content is a string or an array of text parts.");
        }

        var parts = new List<string>();
        var index = 0;
        foreach (var part in content.EnumerateArray())
        {
            if (part.ValueKind != JsonValueKind.Object
                || !part.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "text"
                || !part.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String)
            {
                throw Invalid($"{path}[{index}]", "Only text parts ({ \"type\": \"text\", \"text\": \"...\" }) are taken over AG-UI in this version.");
            }

            parts.Add(text.GetString()!);
            index++;
        }

        return string.Join('\n', parts);
    }

    private static IEnumerable<string> ContextLines(JsonElement entries)
    {
        var index = 0;
        foreach (var entry in entries.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object
                || !entry.TryGetProperty("description", out var description) || description.ValueKind != JsonValueKind.String
                || !entry.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.String)
            {
                throw Invalid($"context[{index}]", "Each context entry is { \"description\": \"...\", \"value\": \"...\" }.");
            }

            index++;
            yield return $"[context] {description.GetString()}: {value.GetString()}";
        }
    }

    private static List<AgUiResume> Resumes(JsonElement entries)
    {
        var list = new List<AgUiResume>();
        var index = 0;
        foreach (var entry in entries.EnumerateArray())
        {
            var path = $"resume[{index++}]";
            if (entry.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(path, "Each resume entry is { \"interruptId\": \"...\", \"status\": \"resolved\" | \"cancelled\", \"payload\"?: {...} }.");
            }

            string? interruptId = null, status = null;
            JsonElement? payload = null;
            foreach (var member in entry.EnumerateObject())
            {
                switch (member.Name)
                {
                    case "interruptId" when member.Value.ValueKind == JsonValueKind.String:
                        interruptId = member.Value.GetString();
                        break;
                    case "status" when member.Value.ValueKind == JsonValueKind.String:
                        status = member.Value.GetString();
                        break;
                    case "payload":
                        payload = member.Value.Clone();
                        break;
                    case "metadata" when member.Value.ValueKind == JsonValueKind.Object:
                        break;
                    default:
                        throw Invalid($"{path}.{member.Name}", $"'{member.Name}' is not a member of a resume entry (or has the wrong type); send interruptId, status and payload.");
                }
            }

            if (string.IsNullOrEmpty(interruptId) || status is not ("resolved" or "cancelled"))
            {
                throw Invalid(path, "A resume entry needs interruptId and status \"resolved\" or \"cancelled\".");
            }

            if (status == "resolved" && payload is not { ValueKind: JsonValueKind.Object })
            {
                throw new CodexWebException(CodexWebErrorKind.InvalidApprovalAnswer, "A resolved interrupt needs a payload object: its interrupt's responseSchema says which ({ \"decision\": ... }, { \"result\": {...} } or { \"error\": { \"message\": ... } }).", $"{path}.payload");
            }

            list.Add(new AgUiResume(interruptId, status == "cancelled", payload, path));
        }

        return list;
    }

    private static string Id(JsonProperty member) =>
        member.Value.ValueKind == JsonValueKind.String && member.Value.GetString() is { Length: > 0 and <= MaxIdLength } id
            ? id
            : throw Invalid(member.Name, $"'{member.Name}' must be a non-empty string of at most {MaxIdLength} characters.");

    private static bool IsVersionOne(string version) => version == "1" || version.StartsWith("1.", StringComparison.Ordinal);

    private static CodexWebException Invalid(string member, string message) => new(CodexWebErrorKind.InvalidRequest, message, member);
}

/// <summary>One answer to an interrupt, as the client sent it.</summary>
/// <param name="InterruptId">The interrupt (the web approval's id).</param>
/// <param name="Cancelled">The client dismissed it (status <c>cancelled</c>).</param>
/// <param name="Payload">The answer (status <c>resolved</c>): the REST approval answer's shape.</param>
/// <param name="Path">Where it sits in the body, for the 400's member.</param>
internal sealed record AgUiResume(string InterruptId, bool Cancelled, JsonElement? Payload, string Path);

/// <summary>One tool message: a client tool's result (or, in a resent list, a result the agent produced itself).</summary>
/// <param name="MessageId">The message's id: a result is taken once, by this id.</param>
/// <param name="ToolCallId">The call it answers (for a client tool: codex's call id, the run's <c>pendingToolCallIds</c>).</param>
/// <param name="Content">The tool's output (text parts joined).</param>
/// <param name="Error">What went wrong, when the tool failed (AG-UI's <c>ToolMessage.error</c>).</param>
/// <param name="Path">Where it sits in the body, for a refusal's member.</param>
internal sealed record AgUiToolResult(string MessageId, string ToolCallId, string Content, string? Error, string Path)
{
    /// <summary>
    /// What codex gets as the call's output: the content, and the error when the tool failed (the model reads both;
    /// the call is then reported as failed).
    /// </summary>
    public string Output => Error is null ? Content : string.Join("\n\n", new[] { Content, Error }.Where(t => t.Length > 0));

    /// <summary>A tool message this server wrote itself (a codex tool's result: <c>itemId/result</c>), which a client keeps in its list.</summary>
    public bool IsAgentResult => MessageId == ToolCallId + AgUiItems.ResultSuffix;
}
