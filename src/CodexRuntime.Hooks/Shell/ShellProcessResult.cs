namespace CodexRuntime.Hooks.Shell;

/// <summary>How a shell hook's process ended: its id, exit code and full stdout and stderr, or that it ran past its deadline.</summary>
internal sealed record ShellProcessResult(int ProcessId, int ExitCode, string Stdout, string Stderr)
{
    /// <summary>True when the process ran past its deadline and its tree was killed; the other fields mean nothing then.</summary>
    public bool IsTimedOut { get; private init; }

    /// <summary>The result of a process killed at its deadline.</summary>
    public static ShellProcessResult TimedOut(int processId) => new(processId, -1, "", "") { IsTimedOut = true };

    /// <summary>The first non-blank line of stderr, trimmed; null when stderr is blank.</summary>
    public string? StderrFirstLine =>
        Stderr.Split('\n').Select(line => line.Trim()).FirstOrDefault(line => line.Length > 0);
}
