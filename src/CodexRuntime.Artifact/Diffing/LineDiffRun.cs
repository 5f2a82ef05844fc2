namespace CodexRuntime.Artifact.Diffing;

/// <summary>
/// Consecutive lines that a <see cref="LineDiff"/> keeps, deletes or inserts. Lines are as the patches count them: each
/// with its own ending (<c>\n</c> or <c>\r\n</c>), the last one perhaps without.
/// </summary>
/// <param name="Kind">Kept, deleted or inserted.</param>
/// <param name="OldLine">
/// The 1-based line of the old text where the run starts; for an insert, the old line it goes before (the old line
/// count + 1 at the end).
/// </param>
/// <param name="NewLine">
/// The 1-based line of the new text where the run starts; for a delete, the new line the deleted lines stood before.
/// </param>
/// <param name="Lines">The lines, each with its line ending.</param>
public sealed record LineDiffRun(LineDiffKind Kind, int OldLine, int NewLine, IReadOnlyList<string> Lines);
