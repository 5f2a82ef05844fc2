using CodexRuntime.Artifact.Patching;

namespace CodexRuntime.Artifact.Tests.Support;

/// <summary>
/// The simple model DocPatches is checked against: a document is a list of lines that carry their own endings; an edit
/// is a list splice; edits are spliced from the last to the first. Written independently of the library (no offsets).
/// </summary>
internal static class PatchReference
{
    public static List<string> Lines(string text)
    {
        var lines = new List<string>();
        var current = new System.Text.StringBuilder();
        foreach (var c in text)
        {
            current.Append(c);
            if (c == '\n')
            {
                lines.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            lines.Add(current.ToString());
        }

        return lines;
    }

    public static DocPatchError Validate(string text, DocPatch patch)
    {
        if (patch.ExpectedRevision != DocPatches.ComputeRevision(text))
        {
            return DocPatchError.RevisionMismatch;
        }

        var count = Lines(text).Count;
        for (var i = 0; i < patch.Edits.Count; i++)
        {
            var (start, end) = (patch.Edits[i].StartLine, patch.Edits[i].EndLine);
            if (!(1 <= start && start <= end && end <= count + 1))
            {
                return DocPatchError.InvalidRange;
            }

            if (i > 0 && start < patch.Edits[i - 1].StartLine)
            {
                return DocPatchError.NotSorted;
            }

            if (i > 0 && start < patch.Edits[i - 1].EndLine)
            {
                return DocPatchError.Overlap;
            }
        }

        return DocPatchError.None;
    }

    public static string Apply(string text, DocPatch patch)
    {
        var lines = Lines(text);
        foreach (var edit in patch.Edits.Reverse())
        {
            lines.RemoveRange(edit.StartLine - 1, edit.EndLine - edit.StartLine);
            lines.Insert(edit.StartLine - 1, edit.Replacement);
        }

        return string.Concat(lines);
    }
}
