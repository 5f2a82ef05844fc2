namespace CodexRuntime.Artifact.Patching;

/// <summary>
/// A line patch of a document: edits made against the text whose revision is <see cref="ExpectedRevision"/>. Edits are
/// sorted and do not overlap (each starts at or after the previous one's end); they are applied from the last to the
/// first, so every line number refers to the original text.
/// </summary>
/// <param name="Format">The document's format after the patch (e.g. <c>markdown</c>); a DocEdit stores it as the artifact's format (a blank one keeps the stored format). The pure helpers do not read it.</param>
/// <param name="ExpectedRevision">The revision (<see cref="DocPatches.ComputeRevision"/>) of the text the edits refer to.</param>
/// <param name="Edits">The edits, sorted, non-overlapping.</param>
/// <param name="Notes">What the author says about the change, if anything.</param>
public sealed record DocPatch(string Format, string ExpectedRevision, IReadOnlyList<DocPatchEdit> Edits, string? Notes = null);
