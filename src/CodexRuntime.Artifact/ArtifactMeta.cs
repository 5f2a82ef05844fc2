namespace CodexRuntime.Artifact;

/// <summary>What a store keeps about an artifact besides its text.</summary>
/// <param name="Title">The title (the artifact id until a task sets one).</param>
/// <param name="Format">The document format (<c>markdown</c> by default).</param>
/// <param name="Revision">The revision of the text (<see cref="Patching.DocPatches.ComputeRevision"/>).</param>
/// <param name="RuntimeThreadId">The codex thread that works on the artifact, once one was opened.</param>
public sealed record ArtifactMeta(string Title, string Format, string Revision, string? RuntimeThreadId)
{
    /// <summary>The format of an artifact that was never given one.</summary>
    public const string DefaultFormat = "markdown";

    /// <summary>How many saves led to this revision (1 for the first save); each save adds one.</summary>
    public long Sequence { get; init; }

    /// <summary>The revision this one was saved over; null for the first save.</summary>
    public string? PreviousRevision { get; init; }

    /// <summary>When this revision was saved.</summary>
    public DateTimeOffset SavedAt { get; init; }

    /// <summary>How this revision came to be: an ordinary save, an undo or a redo.</summary>
    public ArtifactChange Change { get; init; }

    /// <summary>For an undo or redo: the <see cref="Sequence"/> of the save whose text it restored; 0 for an ordinary save.</summary>
    public long RestoredSequence { get; init; }

    /// <summary>
    /// The <see cref="Sequence"/> of the save whose text an undo from this revision restores; 0 when there is nothing to
    /// undo. An ordinary save points at the save before it; an undo at what its restored revision pointed at.
    /// </summary>
    public long UndoSequence { get; init; }

    /// <summary>
    /// The <see cref="Sequence"/> of the save whose text a redo from this revision restores; 0 when there is nothing to
    /// redo (always 0 after an ordinary save: a new edit drops the redo path).
    /// </summary>
    public long RedoSequence { get; init; }
}
