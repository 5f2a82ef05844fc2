using CodexRuntime.Interception;

namespace CodexRuntime.Hooks;

/// <summary>
/// What a pre hook changes: a new prompt, a new model, more attachments, and metadata for later phases of the same
/// run. Null / empty members change nothing. Maps one to one onto the core's <see cref="CodexRunPatch"/>.
/// </summary>
public sealed record HookPatch
{
    /// <summary>Replaces the prompt text (run and turn phases).</summary>
    public string? Prompt { get; init; }

    /// <summary>Replaces the model (run, session-start and turn phases).</summary>
    public string? Model { get; init; }

    /// <summary>Attachments to add to the prompt (run and turn phases); a missing path fails the run like any attachment.</summary>
    public IReadOnlyList<CodexAttachment> AddedAttachments { get; init; } = [];

    /// <summary>Values to set (a delta: other keys stay) in <see cref="HookContext.Metadata"/> for later phases of the same run.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The core's patch with the same changes.</summary>
    /// <returns>The patch.</returns>
    public CodexRunPatch ToRunPatch() => new()
    {
        Prompt = Prompt,
        Model = Model,
        AddedAttachments = AddedAttachments,
        Metadata = Metadata,
    };
}
