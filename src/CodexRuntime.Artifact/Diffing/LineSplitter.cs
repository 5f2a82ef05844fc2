namespace CodexRuntime.Artifact.Diffing;

/// <summary>Splits a text into lines the way the patches count them (see <see cref="Patching.DocPatches"/>).</summary>
internal static class LineSplitter
{
    /// <summary>Each line with its ending: everything up to and including a <c>\n</c>, and a last line without one.</summary>
    public static List<string> Split(string text)
    {
        var lines = new List<string>();
        var start = 0;
        while (start < text.Length)
        {
            var end = text.IndexOf('\n', start);
            var next = end < 0 ? text.Length : end + 1;
            lines.Add(text[start..next]);
            start = next;
        }

        return lines;
    }
}
