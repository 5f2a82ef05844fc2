
namespace CodexRuntime;

/// <summary>
/// A change an interceptor makes to what the run sends: a new prompt, a new model, more attachments, and metadata for
/// later phases. Null / empty members change nothing.
/// </summary>
public sealed record CodexRunPatch
{
    /// <summary>Replaces the prompt text (run and turn phases).</summary>
    public string? Prompt { get; init; }

    /// <summary>Replaces the model (run, session-start and turn phases).</summary>
    public string? Model { get; init; }

    /// <summary>Attachments to add to the prompt (run and turn phases); checked like any attachment.</summary>
    public IReadOnlyList<CodexAttachment> AddedAttachments { get; init; } = [];

    /// <summary>Values to set in <see cref="CodexRunContext.Metadata"/> for later phases of the same run.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}
