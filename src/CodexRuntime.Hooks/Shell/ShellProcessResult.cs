namespace CodexRuntime.Hooks.Shell;

/// <summary>How a shell hook's process ended: its id, exit code and full stdout and stderr.</summary>
internal sealed record ShellProcessResult(int ProcessId, int ExitCode, string Stdout, string Stderr)
{
    /// <summary>The first non-blank line of stderr, trimmed; null when stderr is blank.</summary>
    public string? StderrFirstLine =>
        Stderr.Split('\n').Select(line => line.Trim()).FirstOrDefault(line => line.Length > 0);
}
