using System.Text.Json.Nodes;

namespace CodexRuntime.Testing;

/// <summary>
/// One scripted answer of <see cref="FakeModelServer"/> to one model request (one POST to <c>/v1/responses</c>): a
/// stream of Responses API server-sent events, or an HTTP failure. The event shapes are the ones codex 0.104.0 through
/// 0.171.0 accept. A turn that runs a tool needs two answers: the tool call, then the final message.
/// </summary>
public sealed class FakeModelResponse
{
    private static long _ids;

    private FakeModelResponse(string description, IReadOnlyList<JsonObject> outputEvents, TimeSpan pace, int statusCode = 200, string? errorBody = null)
    {
        Description = description;
        OutputEvents = outputEvents;
        Pace = pace;
        StatusCode = statusCode;
        ErrorBody = errorBody;
    }

    /// <summary>What this answer is, for test output.</summary>
    public string Description { get; }

    /// <summary>HTTP status; anything but 200 is a failure answered with <see cref="ErrorBody"/>.</summary>
    public int StatusCode { get; }

    /// <summary>The body of a failure answer.</summary>
    public string? ErrorBody { get; }

    /// <summary>Delay before each output event (not before <c>response.created</c>), to make streaming observable.</summary>
    public TimeSpan Pace { get; }

    /// <summary>The events between <c>response.created</c> and <c>response.completed</c>.</summary>
    internal IReadOnlyList<JsonObject> OutputEvents { get; }

    /// <summary>
    /// The assistant answers <paramref name="text"/>, streamed as one <c>response.output_text.delta</c> per word (the
    /// word with the whitespace after it), then completes the message: a streaming loop over
    /// <c>MessageDeltaEvent</c> sees the text arrive in pieces, as from a real model. The split is deterministic; choose
    /// the pieces and their pace with <see cref="StreamedText"/>.
    /// </summary>
    /// <param name="text">The assistant message; empty sends no delta, only the completed message.</param>
    /// <returns>The scripted answer.</returns>
    public static FakeModelResponse Text(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var streamed = StreamedText(WordChunks(text));
        return new FakeModelResponse($"text ({text.Length} chars)", streamed.OutputEvents, TimeSpan.Zero);
    }

    /// <summary>The assistant streams <paramref name="chunks"/> as text deltas, one every <paramref name="pace"/>, then completes the message.</summary>
    /// <param name="chunks">The deltas, in order; the message text is their concatenation.</param>
    /// <param name="pace">Delay before each delta (zero streams as fast as possible).</param>
    /// <returns>The scripted answer.</returns>
    public static FakeModelResponse StreamedText(IEnumerable<string> chunks, TimeSpan pace = default)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        var parts = chunks.ToArray();
        var id = NextId("msg");
        var events = new List<JsonObject>
        {
            new()
            {
                ["type"] = "response.output_item.added",
                ["output_index"] = 0,
                ["item"] = new JsonObject { ["type"] = "message", ["role"] = "assistant", ["id"] = id, ["content"] = new JsonArray() },
            },
        };
        foreach (var part in parts)
        {
            events.Add(new JsonObject
            {
                ["type"] = "response.output_text.delta",
                ["item_id"] = id,
                ["output_index"] = 0,
                ["content_index"] = 0,
                ["delta"] = part,
            });
        }

        events.Add(MessageDone(id, string.Concat(parts)));
        return new FakeModelResponse($"streamed text ({parts.Length} deltas)", events, pace);
    }

    /// <summary>
    /// The model calls the <c>exec_command</c> tool with <paramref name="command"/>. With
    /// <paramref name="requestEscalation"/>, the call asks to run outside the sandbox, which under the
    /// <c>on-request</c> approval policy makes codex send <c>item/commandExecution/requestApproval</c>.
    /// </summary>
    /// <param name="command">The shell command line.</param>
    /// <param name="requestEscalation">Ask for <c>require_escalated</c> sandbox permissions.</param>
    /// <param name="justification">The justification shown in the approval request.</param>
    /// <param name="callId">The tool call id (codex uses it as the item id); generated when null.</param>
    /// <returns>The scripted answer.</returns>
    public static FakeModelResponse ExecCommand(string command, bool requestEscalation = false, string? justification = null, string? callId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        var arguments = new JsonObject { ["cmd"] = command, ["yield_time_ms"] = 2000 };
        if (requestEscalation)
        {
            arguments["sandbox_permissions"] = "require_escalated";
            arguments["justification"] = justification ?? "The test needs this command to run outside the sandbox.";
        }

        var call = FunctionCall("exec_command", arguments, callId);
        return new FakeModelResponse(requestEscalation ? "exec_command (escalated)" : "exec_command", call.OutputEvents, TimeSpan.Zero);
    }

    /// <summary>
    /// The model calls the function tool <paramref name="name"/> with <paramref name="arguments"/>: one of codex's own
    /// tools, or a dynamic tool of the application (<c>SessionConfig.DynamicTools</c>), which codex hands to the
    /// application as an <c>item/tool/call</c> request. codex sends the tool's output in the next model request, as a
    /// <c>function_call_output</c> input item with the same call id.
    /// </summary>
    /// <param name="name">The tool's name, as codex offered it to the model.</param>
    /// <param name="arguments">The call's arguments (sent as their JSON text, as the Responses API does).</param>
    /// <param name="callId">The tool call id; generated when null.</param>
    /// <returns>The scripted answer.</returns>
    public static FakeModelResponse FunctionCall(string name, JsonObject arguments, string? callId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(arguments);
        var call = new JsonObject
        {
            ["type"] = "response.output_item.done",
            ["item"] = new JsonObject
            {
                ["type"] = "function_call",
                ["call_id"] = callId ?? NextId("call"),
                ["name"] = name,
                ["arguments"] = arguments.ToJsonString(),
            },
        };
        return new FakeModelResponse($"function call {name}", [call], TimeSpan.Zero);
    }

    /// <summary>
    /// The model edits files with an apply_patch heredoc sent through <c>exec_command</c>; codex turns it into a
    /// <c>fileChange</c> item (and, under <c>on-request</c> with a read-only sandbox, a file-change approval).
    /// </summary>
    /// <param name="patch">The patch body from <c>*** Begin Patch</c> to <c>*** End Patch</c>.</param>
    /// <param name="callId">The tool call id; generated when null.</param>
    /// <returns>The scripted answer.</returns>
    public static FakeModelResponse ApplyPatch(string patch, string? callId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(patch);
        var body = patch.EndsWith('\n') ? patch : patch + "\n";
        var answer = ExecCommand($"apply_patch <<'EOF'\n{body}EOF\n", callId: callId);
        return new FakeModelResponse("apply_patch", answer.OutputEvents, TimeSpan.Zero);
    }

    /// <summary>An apply_patch edit that adds one file (path relative to the thread's working directory).</summary>
    /// <param name="relativePath">The file to add.</param>
    /// <param name="content">Its content; each line is added as written.</param>
    /// <param name="callId">The tool call id; generated when null.</param>
    /// <returns>The scripted answer.</returns>
    public static FakeModelResponse AddFile(string relativePath, string content, string? callId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(relativePath);
        ArgumentNullException.ThrowIfNull(content);
        var lines = content.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n').Select(l => "+" + l);
        return ApplyPatch($"*** Begin Patch\n*** Add File: {relativePath}\n{string.Join('\n', lines)}\n*** End Patch", callId);
    }

    /// <summary>The model endpoint fails with an HTTP error (codex is configured not to retry, so the turn fails).</summary>
    /// <param name="statusCode">The HTTP status, e.g. 500 or 429.</param>
    /// <param name="message">The error message in the JSON body.</param>
    /// <returns>The scripted answer.</returns>
    public static FakeModelResponse HttpError(int statusCode = 500, string message = "scripted failure from FakeModelServer")
    {
        if (statusCode is < 400 or > 599)
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "An HTTP failure needs a 4xx or 5xx status code.");
        }

        var body = new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = "server_error", ["code"] = "scripted_failure" } };
        return new FakeModelResponse($"HTTP {statusCode}", [], TimeSpan.Zero, statusCode, body.ToJsonString());
    }

    /// <summary>
    /// An answer decided when the request arrives, from what codex sent (e.g. the output of the command it just ran:
    /// <see cref="FakeModelRequest.ToolOutputs"/>). The builder runs once, on the server's request task.
    /// </summary>
    /// <param name="description">What the answer is, for test output.</param>
    /// <param name="build">Builds the answer from the recorded request.</param>
    /// <returns>The scripted answer.</returns>
    public static FakeModelResponse FromRequest(string description, Func<FakeModelRequest, FakeModelResponse> build)
    {
        ArgumentException.ThrowIfNullOrEmpty(description);
        ArgumentNullException.ThrowIfNull(build);
        return new FakeModelResponse(description, [], TimeSpan.Zero) { Builder = build };
    }

    /// <inheritdoc />
    public override string ToString() => Description;

    /// <summary>Builds the real answer from the request (<see cref="FromRequest"/>); null for fixed answers.</summary>
    internal Func<FakeModelRequest, FakeModelResponse>? Builder { get; private init; }

    internal static string NextId(string prefix) => $"{prefix}-{Interlocked.Increment(ref _ids)}";

    /// <summary>The whole SSE body for this answer, event by event (created, outputs, completed).</summary>
    internal IEnumerable<(string Type, string Json, bool Paced)> Events(string responseId)
    {
        yield return ("response.created", new JsonObject { ["type"] = "response.created", ["response"] = new JsonObject { ["id"] = responseId } }.ToJsonString(), false);
        foreach (var output in OutputEvents)
        {
            yield return ((string)output["type"]!, output.ToJsonString(), true);
        }

        var completed = new JsonObject
        {
            ["type"] = "response.completed",
            ["response"] = new JsonObject
            {
                ["id"] = responseId,
                ["usage"] = new JsonObject
                {
                    ["input_tokens"] = 10,
                    ["input_tokens_details"] = null,
                    ["output_tokens"] = 5,
                    ["output_tokens_details"] = null,
                    ["total_tokens"] = 15,
                },
            },
        };
        yield return ("response.completed", completed.ToJsonString(), false);
    }

    /// <summary>Splits <paramref name="text"/> after each word's trailing whitespace; the pieces concatenate to the text.</summary>
    private static List<string> WordChunks(string text)
    {
        var chunks = new List<string>();
        var start = 0;
        var i = 0;
        while (i < text.Length)
        {
            // Leading whitespace joins the first word; each chunk ends after the whitespace that follows its word.
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            while (i < text.Length && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            chunks.Add(text[start..i]);
            start = i;
        }

        return chunks;
    }

    private static JsonObject MessageDone(string id, string text) => new()
    {
        ["type"] = "response.output_item.done",
        ["output_index"] = 0,
        ["item"] = new JsonObject
        {
            ["type"] = "message",
            ["role"] = "assistant",
            ["id"] = id,
            ["content"] = new JsonArray(new JsonObject { ["type"] = "output_text", ["text"] = text }),
        },
    };
}
