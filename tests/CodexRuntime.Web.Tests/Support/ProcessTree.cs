using System.Globalization;

namespace CodexRuntime.Web.Tests.Support;

/// <summary>
/// A process's descendants as Linux's /proc shows them, each named by its pid and start time (so a pid the system
/// reuses later is not taken for the same process).
/// </summary>
internal static class ProcessTree
{
    /// <summary>One process: its pid, its parent's, when it started (clock ticks after boot), its name and state (R, S, Z...).</summary>
    public readonly record struct Entry(int Pid, int ParentPid, long StartTicks, string Name, char State);

    /// <summary>Every process below <paramref name="pid"/>, children first.</summary>
    public static List<Entry> Descendants(int pid)
    {
        var all = All();
        var found = new List<Entry>();
        var parents = new Queue<int>([pid]);
        while (parents.TryDequeue(out var parent))
        {
            foreach (var child in all.Where(e => e.ParentPid == parent))
            {
                found.Add(child);
                parents.Enqueue(child.Pid);
            }
        }

        return found;
    }

    /// <summary>
    /// The process still runs: it exists and is not a zombie (one that exited and waits for its parent to reap it; a
    /// killed process's orphaned child waits for init, which in a container may never reap it).
    /// </summary>
    public static bool IsAlive(Entry entry) => Read(entry.Pid) is { } now && now.StartTicks == entry.StartTicks && now.State != 'Z';

    private static List<Entry> All() =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Select(name => int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? Read(pid) : null)
            .OfType<Entry>()];

    /// <summary>Fields of /proc/pid/stat after the name in parentheses (which may hold spaces): state, ppid, ..., starttime (22nd).</summary>
    private static Entry? Read(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null; // gone in between
        }

        var open = stat.IndexOf('(', StringComparison.Ordinal);
        var close = stat.LastIndexOf(')');
        var fields = stat[(close + 2)..].Split(' ');
        return new Entry(pid, int.Parse(fields[1], CultureInfo.InvariantCulture), long.Parse(fields[19], CultureInfo.InvariantCulture), stat[(open + 1)..close], fields[0][0]);
    }
}
