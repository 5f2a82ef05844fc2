using System.Diagnostics;

namespace CodexRuntime.Transport;

/// <summary>
/// Reads the operating system's process table: whether a process runs and which processes descend from it. The
/// transport uses it so survivors of a clean codex exit can still be reaped; it is public so that test kits (a
/// process probe of a test package) and hosts can prove that nothing codex started outlives it.
/// </summary>
public static class ProcessTree
{
    /// <summary>
    /// The ids of all live descendants of <paramref name="pid"/> (Linux: from /proc; elsewhere empty, where
    /// <see cref="Process.Kill(bool)"/> does the tree walk itself).
    /// </summary>
    /// <param name="pid">The operating-system id of the process whose descendants are wanted.</param>
    /// <returns>The descendants' ids, children before grandchildren; empty when there are none or off Linux.</returns>
    public static IReadOnlyList<int> GetDescendants(int pid)
    {
        var result = new List<int>();
        if (!OperatingSystem.IsLinux())
        {
            return result;
        }

        var pending = new Stack<int>();
        pending.Push(pid);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            foreach (var child in ChildrenOf(current))
            {
                if (!result.Contains(child))
                {
                    result.Add(child);
                    pending.Push(child);
                }
            }
        }

        return result;
    }

    /// <summary>
    /// True while <paramref name="pid"/> is a running process. A zombie (exited, not yet reaped by its parent, which in
    /// a container may never happen) counts as gone.
    /// </summary>
    /// <param name="pid">The operating-system process id.</param>
    /// <returns>Whether the process runs (false when it is gone, a zombie, or not visible to this process).</returns>
    public static bool IsRunning(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                // /proc/<pid>/stat is "pid (comm) S ...": the state letter follows the last ')'.
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var state = stat[(stat.LastIndexOf(')') + 2)..].TrimStart();
                return state.Length > 0 && state[0] is not ('Z' or 'X');
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Kills each process in <paramref name="pids"/> that is still alive and was started before <paramref name="notAfter"/>.</summary>
    internal static void KillSurvivors(IEnumerable<int> pids, DateTime notAfter)
    {
        foreach (var pid in pids)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                // A recycled pid belongs to a process that started after our snapshot: leave it alone.
                if (IsRunning(pid) && process.StartTime <= notAfter)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
            {
                // Gone already, or not ours to touch.
            }
        }
    }

    private static IEnumerable<int> ChildrenOf(int pid)
    {
        string[] tasks;
        try
        {
            tasks = Directory.GetDirectories($"/proc/{pid}/task");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            yield break;
        }

        foreach (var task in tasks)
        {
            string text;
            try
            {
                text = File.ReadAllText(Path.Combine(task, "children"));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var part in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (int.TryParse(part, out var child))
                {
                    yield return child;
                }
            }
        }
    }
}
