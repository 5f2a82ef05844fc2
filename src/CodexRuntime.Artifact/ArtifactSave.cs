namespace CodexRuntime.Artifact;

/// <summary>What <see cref="IArtifactStore.SaveAsync"/> writes, and the revision it expects to replace.</summary>
/// <param name="ExpectedRevision">The revision the stored text must have (compare-and-swap); null when the artifact must not exist yet.</param>
/// <param name="Text">The new text.</param>
/// <param name="Title">The title.</param>
/// <param name="Format">The format.</param>
/// <param name="RuntimeThreadId">The codex thread of the artifact, if any.</param>
public sealed record ArtifactSave(string? ExpectedRevision, string Text, string Title, string Format, string? RuntimeThreadId)
{
    /// <summary>When set, the stored <see cref="ArtifactMeta.Sequence"/> must be this one too (a revision alone repeats when an undo restores a text).</summary>
    public long? ExpectedSequence { get; init; }

    /// <summary>An ordinary save (the default), or an undo or redo step (<see cref="ArtifactHistory"/> sets the links below).</summary>
    public ArtifactChange Change { get; init; }

    /// <summary>For an undo or redo: the sequence of the save whose text is restored. Ignored for an ordinary save.</summary>
    public long RestoredSequence { get; init; }

    /// <summary>For an undo or redo: the new revision's <see cref="ArtifactMeta.UndoSequence"/>. An ordinary save points at the save it replaces.</summary>
    public long UndoSequence { get; init; }

    /// <summary>For an undo or redo: the new revision's <see cref="ArtifactMeta.RedoSequence"/>. An ordinary save has none.</summary>
    public long RedoSequence { get; init; }
}
