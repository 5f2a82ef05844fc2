using System.Globalization;
using System.Text;

namespace CodexRuntime.Artifact.Diffing;

/// <summary>Renders <see cref="LineDiffRun"/>s as a unified diff, the format <c>diff -u</c> prints and <c>patch</c> reads.</summary>
internal static class UnifiedDiffWriter
{
    public static string Write(IReadOnlyList<LineDiffRun> runs, string oldLabel, string newLabel, int context)
    {
        // One entry per line of either side, in order.
        var lines = runs.SelectMany(r => r.Lines.Select(l => (r.Kind, Text: l))).ToList();
        if (lines.All(l => l.Kind == LineDiffKind.Equal))
        {
            return string.Empty;
        }

        var output = new StringBuilder();
        output.Append("--- ").Append(oldLabel).Append('\n').Append("+++ ").Append(newLabel).Append('\n');
        var (oldLine, newLine) = (1, 1); // the line numbers at index 'at'
        var at = 0;
        while (NextChange(lines, at) is { } change)
        {
            // A hunk starts 'context' lines before its first change and runs until the unchanged lines after a change
            // exceed twice the context (then two hunks would show them all anyway).
            var start = Math.Max(at, change - context);
            var end = change;
            while (true)
            {
                while (end < lines.Count && lines[end].Kind != LineDiffKind.Equal)
                {
                    end++;
                }

                var next = NextChange(lines, end);
                if (next is null || next.Value - end > 2 * context)
                {
                    end = Math.Min(lines.Count, end + context);
                    break;
                }

                end = next.Value;
            }

            for (; at < start; at++)
            {
                (oldLine, newLine) = (oldLine + 1, newLine + 1); // only unchanged lines lie between hunks
            }

            var hunk = lines.GetRange(start, end - start);
            var oldCount = hunk.Count(l => l.Kind != LineDiffKind.Insert);
            var newCount = hunk.Count(l => l.Kind != LineDiffKind.Delete);
            output.Append("@@ -").Append(Range(oldLine, oldCount)).Append(" +").Append(Range(newLine, newCount)).Append(" @@\n");
            foreach (var (kind, text) in hunk)
            {
                output.Append(kind switch { LineDiffKind.Delete => '-', LineDiffKind.Insert => '+', _ => ' ' }).Append(text);
                if (!text.EndsWith('\n'))
                {
                    output.Append("\n\\ No newline at end of file\n");
                }
            }

            (oldLine, newLine, at) = (oldLine + oldCount, newLine + newCount, end);
        }

        return output.ToString();
    }

    private static int? NextChange(List<(LineDiffKind Kind, string Text)> lines, int from)
    {
        for (var i = from; i < lines.Count; i++)
        {
            if (lines[i].Kind != LineDiffKind.Equal)
            {
                return i;
            }
        }

        return null;
    }

    /// <summary>"start,count"; an empty side names the line before it, as <c>diff -u</c> does.</summary>
    private static string Range(int start, int count) =>
        string.Create(CultureInfo.InvariantCulture, $"{(count == 0 ? start - 1 : start)},{count}");
}
