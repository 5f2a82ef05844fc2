using System.Text.Json;

namespace CodexRuntime;

/// <summary>One prompt: its text plus attachments and an output schema for this turn only. A string converts to a prompt.</summary>
public sealed class CodexPrompt
{
    /// <summary>Creates a prompt.</summary>
    /// <param name="text">What to ask.</param>
    public CodexPrompt(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Text = text;
    }

    /// <summary>What to ask.</summary>
    public string Text { get; }

    /// <summary>Attachments for this prompt only (the profile's are sent too).</summary>
    public IList<CodexAttachment> Attachments { get; } = new List<CodexAttachment>();

    /// <summary>An output schema for this turn; the profile's when null.</summary>
    public JsonElement? OutputSchema { get; set; }

    /// <summary>Reasoning effort for this turn only (<c>low</c>, <c>medium</c>, <c>high</c>, ...); the profile's when null.</summary>
    public string? Effort { get; set; }

    /// <summary>Reasoning summary for this turn only (codex's <c>summary</c>); codex's default when null.</summary>
    public Protocol.ReasoningSummary? Summary { get; set; }

    /// <summary>A prompt of just text.</summary>
    /// <param name="text">What to ask.</param>
    public static implicit operator CodexPrompt(string text) => new(text);

    /// <summary>A prompt of just text.</summary>
    /// <param name="text">What to ask.</param>
    /// <returns>The prompt.</returns>
    public static CodexPrompt FromString(string text) => new(text);

    /// <summary>Adds an attachment.</summary>
    /// <param name="attachment">The attachment.</param>
    /// <returns>This prompt.</returns>
    public CodexPrompt With(CodexAttachment attachment)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        Attachments.Add(attachment);
        return this;
    }

    /// <summary>A copy with other text and attachments (what an interceptor changed); the per-turn settings are kept.</summary>
    internal CodexPrompt With(string text, IEnumerable<CodexAttachment> attachments)
    {
        var copy = new CodexPrompt(text) { OutputSchema = OutputSchema, Effort = Effort, Summary = Summary };
        foreach (var attachment in attachments)
        {
            copy.Attachments.Add(attachment);
        }

        return copy;
    }

    /// <inheritdoc />
    public override string ToString() => $"prompt ({Text.Length} chars, {Attachments.Count} attachment(s))";
}
