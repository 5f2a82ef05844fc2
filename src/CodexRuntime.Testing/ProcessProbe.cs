using CodexRuntime.Transport;

namespace CodexRuntime.Testing;

/// <summary>
/// Checks for leftover processes, so a test can prove that nothing it started outlives it (a zombie that nobody
/// reaps counts as gone: it holds no resources but a process table entry).
/// </summary>
public static class ProcessProbe
{
    /// <summary>True while <paramref name="processId"/> is a running process.</summary>
    /// <param name="processId">The operating-system process id.</param>
    /// <returns>Whether it runs.</returns>
    public static bool IsRunning(int processId) => ProcessTree.IsRunning(processId);

    /// <summary>The ids of all running descendants of <paramref name="processId"/> (Linux; empty elsewhere).</summary>
    /// <param name="processId">The operating-system process id.</param>
    /// <returns>The descendants.</returns>
    public static IReadOnlyList<int> GetDescendants(int processId) =>
        ProcessTree.GetDescendants(processId).Where(ProcessTree.IsRunning).ToArray();
}
