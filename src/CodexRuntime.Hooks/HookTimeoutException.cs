namespace CodexRuntime.Hooks;

/// <summary>
/// A shell hook did not finish within its timeout; its whole process tree was killed. The core records the call as
/// timed out (with this message) in the run's <see cref="HookReport"/> and the run goes on.
/// </summary>
public sealed class HookTimeoutException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="hookName">The hook.</param>
    /// <param name="timeout">Its timeout.</param>
    /// <param name="processId">The id of the process (the shell) that was killed with its descendants.</param>
    public HookTimeoutException(string hookName, TimeSpan timeout, int processId)
        : base($"Shell hook '{hookName}' did not finish within {timeout.TotalMilliseconds:0.###} ms; its process tree (pid {processId}) was killed.")
    {
        HookName = hookName;
        Timeout = timeout;
        ProcessId = processId;
    }

    /// <summary>The hook.</summary>
    public string HookName { get; }

    /// <summary>Its timeout.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The id of the killed process (the shell; its descendants were killed with it).</summary>
    public int ProcessId { get; }
}
