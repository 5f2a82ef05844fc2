using System.Text;
using System.Text.RegularExpressions;

namespace CodexRuntime.Transport;

/// <summary>A bounded, thread-safe tail of the lines a process wrote to stderr.</summary>
internal sealed partial class StderrTail(int maxLines)
{
    /// <summary>A single line longer than this is cut, so one huge log line cannot crowd out the rest.</summary>
    internal const int MaxLineLength = 2_000;

    private readonly Queue<string> _lines = new();
    private readonly Lock _gate = new();

    public void Add(string line)
    {
        var clean = AnsiEscape().Replace(line, string.Empty);
        if (clean.Length > MaxLineLength)
        {
            clean = string.Concat(clean.AsSpan(0, MaxLineLength), "…");
        }

        lock (_gate)
        {
            _lines.Enqueue(clean);
            while (_lines.Count > Math.Max(1, maxLines))
            {
                _lines.Dequeue();
            }
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            var builder = new StringBuilder();
            foreach (var line in _lines)
            {
                builder.AppendLine(line);
            }

            return builder.ToString().TrimEnd();
        }
    }

    // codex colours its tracing output; the escapes only make error messages unreadable.
    [GeneratedRegex(@"\x1B\[[0-9;]*[A-Za-z]")]
    private static partial Regex AnsiEscape();
}
