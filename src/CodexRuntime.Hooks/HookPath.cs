namespace CodexRuntime.Hooks;

/// <summary>
/// A path split into a root and segments, by its own style rather than the running OS's: Windows style when it starts
/// with a drive (<c>C:</c>) or two backslashes (UNC, <c>\\server\share</c>), POSIX style otherwise. Windows paths
/// accept both separators and compare case-insensitively; POSIX paths use <c>/</c> only and compare case-sensitively.
/// Empty and <c>.</c> segments are dropped and <c>..</c> removes the segment before it (lexically, without touching the
/// file system), so trailing or doubled separators change nothing.
/// </summary>
internal readonly record struct HookPath(bool IsWindows, string Root, IReadOnlyList<string> Segments)
{
    public static HookPath Parse(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string root;
        string rest;
        bool windows;
        if (path.Length >= 2 && char.IsAsciiLetter(path[0]) && path[1] == ':')
        {
            windows = true;
            root = char.ToUpperInvariant(path[0]) + ":";
            rest = path[2..];
        }
        else if (path.StartsWith(@"\\", StringComparison.Ordinal))
        {
            // UNC: the server and share are the first two segments, under the "\\" root.
            windows = true;
            root = @"\\";
            rest = path[2..];
        }
        else
        {
            windows = false;
            root = path.StartsWith('/') ? "/" : string.Empty;
            rest = path;
        }

        var separators = windows ? new[] { '\\', '/' } : ['/'];
        var segments = new List<string>();
        foreach (var segment in rest.Split(separators, StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == ".")
            {
                continue;
            }

            if (segment == ".." && segments.Count > 0 && segments[^1] != "..")
            {
                segments.RemoveAt(segments.Count - 1);
                continue;
            }

            segments.Add(segment);
        }

        return new HookPath(windows, root, segments);
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="prefix"/> or lies below it (on a segment boundary).</summary>
    public static bool IsAtOrUnder(string path, string prefix)
    {
        var candidate = Parse(path);
        var under = Parse(prefix);
        if (candidate.IsWindows != under.IsWindows || under.Segments.Count > candidate.Segments.Count)
        {
            return false;
        }

        var comparison = candidate.IsWindows ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        if (!string.Equals(candidate.Root, under.Root, comparison))
        {
            return false;
        }

        for (var i = 0; i < under.Segments.Count; i++)
        {
            if (!string.Equals(candidate.Segments[i], under.Segments[i], comparison))
            {
                return false;
            }
        }

        return true;
    }
}
