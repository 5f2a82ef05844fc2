namespace CodexRuntime.Hooks;

/// <summary>
/// A shell hook failed: it exited with a code other than 0 or 2 (pre hooks) / 0 (post hooks), or printed something
/// that is not a decision. The core records the call as failed (with this message) in the run's
/// <see cref="HookReport"/> and the run goes on.
/// </summary>
public sealed class ShellHookException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="hookName">The hook.</param>
    /// <param name="exitCode">The exit code of the hook's process.</param>
    /// <param name="message">What went wrong (never the hook context or the prompt).</param>
    /// <param name="innerException">The cause, when there is one.</param>
    public ShellHookException(string hookName, int exitCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        HookName = hookName;
        ExitCode = exitCode;
    }

    /// <summary>The hook.</summary>
    public string HookName { get; }

    /// <summary>The exit code of the hook's process.</summary>
    public int ExitCode { get; }
}
