using System.Security.Cryptography;
using System.Text;

namespace CodexRuntime.Artifact.Patching;

/// <summary>
/// The pure helpers of artifacts: a text's revision, and validating and applying a <see cref="DocPatch"/>. No I/O, no
/// state; the same input always gives the same output.
/// </summary>
/// <remarks>
/// A line is everything up to and including its <c>\n</c> (so <c>\r\n</c> belongs to its line); a last line without
/// <c>\n</c> is a line too, and an empty text has no lines. A lone <c>\r</c> is not a line ending. Lines keep their
/// endings, so a document with mixed <c>\n</c> and <c>\r\n</c> keeps every untouched line byte for byte.
/// </remarks>
public static class DocPatches
{
    /// <summary>The revision of a text: <c>"sha256:"</c> + the lowercase hex SHA-256 of its UTF-8 bytes.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The revision, e.g. <c>sha256:e3b0c442...</c> for the empty text.</returns>
    public static string ComputeRevision(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return RevisionOf(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>Checks a patch against a text: the revision must match, then every edit's range, order and overlap.</summary>
    /// <param name="text">The text the patch is for.</param>
    /// <param name="patch">The patch.</param>
    /// <returns>Valid, or the first problem (a revision mismatch is reported before any range, since then the line numbers mean nothing).</returns>
    public static DocPatchValidation ValidateDocPatch(string text, DocPatch patch)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(patch);
        ArgumentNullException.ThrowIfNull(patch.Edits);
        var actual = ComputeRevision(text);
        if (!string.Equals(actual, patch.ExpectedRevision, StringComparison.Ordinal))
        {
            return new DocPatchValidation(DocPatchError.RevisionMismatch, null,
                $"The patch expects revision {patch.ExpectedRevision}, but the text is at {actual}: it changed since the patch was made.");
        }

        var lines = CountLines(text);
        DocPatchEdit? previous = null;
        for (var index = 0; index < patch.Edits.Count; index++)
        {
            var edit = patch.Edits[index] ?? throw new ArgumentException($"Edit {index} of the patch is null.", nameof(patch));
            if (edit.Replacement is null)
            {
                throw new ArgumentException($"Edit {index} of the patch has no replacement (use an empty string to delete lines).", nameof(patch));
            }

            if (edit.StartLine < 1 || edit.StartLine > edit.EndLine || edit.EndLine > lines + 1)
            {
                return Refuse(DocPatchError.InvalidRange, index,
                    $"Edit {index} covers lines [{edit.StartLine}, {edit.EndLine}); the text has {lines} line(s), so 1 <= startLine <= endLine <= {lines + 1}.");
            }

            if (previous is not null && edit.StartLine < previous.StartLine)
            {
                return Refuse(DocPatchError.NotSorted, index,
                    $"Edit {index} starts at line {edit.StartLine}, before edit {index - 1} (line {previous.StartLine}); sort the edits by startLine.");
            }

            if (previous is not null && edit.StartLine < previous.EndLine)
            {
                return Refuse(DocPatchError.Overlap, index,
                    $"Edit {index} starts at line {edit.StartLine}, inside edit {index - 1} (lines [{previous.StartLine}, {previous.EndLine})).");
            }

            previous = edit;
        }

        return DocPatchValidation.Valid;
    }

    /// <summary>Validates and applies a patch; every untouched line, and its line ending, is kept as it was.</summary>
    /// <param name="text">The text the patch is for.</param>
    /// <param name="patch">The patch.</param>
    /// <returns>The patched text.</returns>
    /// <exception cref="DocPatchException">The patch is not valid for the text (<see cref="DocPatchException.Error"/> says why); nothing was changed.</exception>
    public static string ApplyDocPatch(string text, DocPatch patch)
    {
        var validation = ValidateDocPatch(text, patch);
        if (!validation.IsValid)
        {
            throw new DocPatchException(validation);
        }

        // Line numbers refer to the original text. Because edits are sorted and disjoint, copying the text between them in
        // one forward pass gives exactly what applying them from the last to the first would.
        var starts = LineStarts(text);
        var result = new StringBuilder(text.Length);
        var position = 0;
        foreach (var edit in patch.Edits)
        {
            var from = starts[edit.StartLine - 1];
            result.Append(text, position, from - position).Append(edit.Replacement);
            position = starts[edit.EndLine - 1];
        }

        return result.Append(text, position, text.Length - position).ToString();
    }

    /// <summary>The number of lines of a text (see the remarks of <see cref="DocPatches"/>).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The line count; 0 for the empty text.</returns>
    public static int CountLines(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var newlines = text.AsSpan().Count('\n');
        return text.Length == 0 || text[^1] == '\n' ? newlines : newlines + 1;
    }

    /// <summary>The revision of bytes about to be stored, so the store hashes exactly what it writes.</summary>
    internal static string RevisionOf(ReadOnlySpan<byte> utf8) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(utf8));

    /// <summary>Offset of the start of each line, plus one entry for the end of the text (line <c>lines + 1</c>).</summary>
    private static int[] LineStarts(string text)
    {
        var starts = new int[CountLines(text) + 1];
        var line = 1;
        for (var i = 0; i < text.Length && line < starts.Length; i++)
        {
            if (text[i] == '\n')
            {
                starts[line++] = i + 1;
            }
        }

        starts[^1] = text.Length;
        return starts;
    }

    private static DocPatchValidation Refuse(DocPatchError error, int index, string message) =>
        new(error, index, message);
}
