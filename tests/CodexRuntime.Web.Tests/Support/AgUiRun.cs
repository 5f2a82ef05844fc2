using System.Text;
using System.Text.Json;

namespace CodexRuntime.Web.Tests.Support;

/// <summary>
/// What one run of the official AG-UI client saw (see <see cref="AgUiNodeClient"/>): the events as the client's
/// transport delivered them, the schema and order violations found in them, and the client's own error, if it threw.
/// </summary>
internal sealed class AgUiRun
{
    private AgUiRun(JsonElement input, IReadOnlyList<JsonElement> events, IReadOnlyList<string> violations, string? error, string stderr, JsonElement messages)
    {
        Messages = messages;
        Input = input;
        Events = events;
        Violations = violations;
        Error = error;
        Stderr = stderr;
    }

    /// <summary>The RunAgentInput the client sent (with what it adds: protocolVersion, state, tools…); Undefined when it sent nothing.</summary>
    public JsonElement Input { get; }

    /// <summary>
    /// Every event the client received, in order: up to the one its verifier rejected, when it threw; ending with
    /// the RUN_ERROR (code "abort") the client makes itself, when the deadline aborted the run.
    /// </summary>
    public IReadOnlyList<JsonElement> Events { get; }

    /// <summary>The client's messages after the run (its history with what the run added): the next run's <c>messages</c>.</summary>
    public JsonElement Messages { get; }

    /// <summary>Events failing @ag-ui/core's schemas, and broken order rules; empty for a valid run.</summary>
    public IReadOnlyList<string> Violations { get; }

    /// <summary>The client's error (HTTP status, its own verifier, a timeout), or null when the run completed.</summary>
    public string? Error { get; }

    /// <summary>What node printed on stderr (the client's warnings), for failure messages.</summary>
    public string Stderr { get; }

    /// <summary>The RUN_FINISHED event, when one arrived.</summary>
    public JsonElement? RunFinished => OfType("RUN_FINISHED").Cast<JsonElement?>().FirstOrDefault();

    /// <summary>The RUN_ERROR event, when one arrived.</summary>
    public JsonElement? RunError => OfType("RUN_ERROR").Cast<JsonElement?>().FirstOrDefault();

    /// <summary>The interrupts of a RUN_FINISHED whose outcome is "interrupt"; empty otherwise.</summary>
    public IReadOnlyList<JsonElement> Interrupts =>
        RunFinished is { } finished
        && finished.TryGetProperty("outcome", out var outcome)
        && outcome.TryGetProperty("type", out var type) && type.GetString() == "interrupt"
            ? [.. outcome.GetProperty("interrupts").EnumerateArray()]
            : [];

    /// <summary>The TEXT_MESSAGE_CONTENT deltas joined, in order.</summary>
    public string Text => string.Concat(OfType("TEXT_MESSAGE_CONTENT").Select(e => e.GetProperty("delta").GetString()));

    /// <summary>The event types in order, for assertions and messages.</summary>
    public IReadOnlyList<string> Types => [.. Events.Select(e => e.TryGetProperty("type", out var t) ? t.ToString() : "?")];

    /// <summary>The events of one type (e.g. "TEXT_MESSAGE_CONTENT"), in order.</summary>
    public IEnumerable<JsonElement> OfType(string type) =>
        Events.Where(e => e.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == type);

    /// <summary>Fails the test unless the run is clean: no violation and no client error.</summary>
    public void AssertValid()
    {
        if (Violations.Count > 0 || Error is not null)
        {
            Assert.Fail($"The AG-UI run was not valid.\n{Describe()}");
        }
    }

    /// <summary>Everything about the run as text, for failure messages.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine($"error: {Error ?? "(none)"}");
        text.AppendLine($"violations ({Violations.Count}):");
        foreach (var violation in Violations)
        {
            text.AppendLine($"  {violation}");
        }

        text.AppendLine($"events ({Events.Count}):");
        foreach (var e in Events)
        {
            text.AppendLine($"  {e.GetRawText()}");
        }

        return text.AppendLine($"node stderr: {Stderr}").ToString();
    }

    /// <summary>Reads agui-run.mjs's one JSON document.</summary>
    public static AgUiRun Parse(string stdout, string stderr)
    {
        using var document = JsonDocument.Parse(stdout);
        var root = document.RootElement;
        var input = root.TryGetProperty("input", out var sent) && sent.ValueKind == JsonValueKind.Object ? sent.Clone() : default;
        var events = root.GetProperty("events").EnumerateArray().Select(e => e.Clone()).ToList();
        var violations = root.GetProperty("violations").EnumerateArray().Select(v => v.GetString()!).ToList();
        var error = root.GetProperty("error") is { ValueKind: JsonValueKind.String } message ? message.GetString() : null;
        var messages = root.TryGetProperty("messages", out var kept) && kept.ValueKind == JsonValueKind.Array ? kept.Clone() : default;
        return new AgUiRun(input, events, violations, error, stderr, messages);
    }
}
