using System.Globalization;

namespace CodexRuntime.Orleans.Tests.Support;

/// <summary>
/// A process and its descendants as Linux lists them in <c>/proc</c>: which processes a replica started (its codex,
/// codex's commands), and whether they are gone after a kill.
/// </summary>
internal static class ProcessTree
{
    /// <summary><paramref name="root"/> and every live process descended from it.</summary>
    public static IReadOnlyList<int> Of(int root)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Stat(pid) is { Parent: var parent, State: not 'Z' })
            {
                (children.TryGetValue(parent, out var list) ? list : children[parent] = []).Add(pid);
            }
        }

        var tree = new List<int> { root };
        for (var i = 0; i < tree.Count; i++)
        {
            tree.AddRange(children.GetValueOrDefault(tree[i]) ?? []);
        }

        return tree;
    }

    /// <summary>Whether <paramref name="pid"/> has ended (reaped, or a zombie that nothing reaped yet).</summary>
    public static bool IsGone(int pid) => Stat(pid) is null or { State: 'Z' };

    /// <summary>
    /// Waits until each of <paramref name="pids"/> has ended, up to <paramref name="deadline"/>; returns those still
    /// running then. It polls: a process that is not this one's child gives no exit event to await (and a killed
    /// grandchild becomes the init process's child, which may never reap it).
    /// </summary>
    public static async Task<IReadOnlyList<int>> WaitGoneAsync(IEnumerable<int> pids, TimeSpan deadline)
    {
        var left = pids.ToList();
        var until = DateTime.UtcNow + deadline;
        while (true)
        {
            left.RemoveAll(IsGone);
            if (left.Count == 0 || DateTime.UtcNow >= until)
            {
                return left;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }

    /// <summary>The state letter and parent id of <paramref name="pid"/> from <c>/proc/pid/stat</c>; null when it is gone.</summary>
    private static (char State, int Parent)? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after its last ')'.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return (fields[0][0], int.Parse(fields[1], CultureInfo.InvariantCulture));
    }
}
