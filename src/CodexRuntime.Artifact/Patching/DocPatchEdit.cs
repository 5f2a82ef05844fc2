namespace CodexRuntime.Artifact.Patching;

/// <summary>
/// One edit of a <see cref="DocPatch"/>: the lines <see cref="StartLine"/> (1-based, included) to
/// <see cref="EndLine"/> (excluded) are replaced by <see cref="Replacement"/>. <c>StartLine == EndLine</c> inserts before
/// that line (<c>lines + 1</c> appends).
/// </summary>
/// <param name="StartLine">The first replaced line, 1-based.</param>
/// <param name="EndLine">The line after the last replaced one (exclusive), at most the line count + 1.</param>
/// <param name="Replacement">
/// The text that takes the lines' place, exactly as given: it carries its own line endings, so a replacement that
/// should stay a separate line ends with one.
/// </param>
public sealed record DocPatchEdit(int StartLine, int EndLine, string Replacement);
