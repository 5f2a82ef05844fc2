using System.Collections.Concurrent;
using System.Diagnostics;

namespace CodexRuntime.Transport;

/// <summary>
/// Last line of defence against orphans: every codex process we start is registered here and its tree is killed
/// when this .NET process exits normally or on SIGTERM, even if nobody disposed the transport.
/// </summary>
internal static class ChildProcessRegistry
{
    private static readonly ConcurrentDictionary<int, Process> Live = new();
    private static int _hooked;

    public static void Add(Process process)
    {
        if (Interlocked.Exchange(ref _hooked, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        }

        Live[process.Id] = process;
    }

    public static void Remove(Process process) => Live.TryRemove(process.Id, out _);

    private static void KillAll()
    {
        foreach (var process in Live.Values)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
            {
                // Already gone.
            }
        }
    }
}
