namespace CodexRuntime.Transport;

/// <summary>How to start <c>codex app-server</c>.</summary>
public sealed class CodexProcessOptions
{
    /// <summary>
    /// Path of the codex executable (or of an npm launcher, which is resolved to the native binary). When null,
    /// <see cref="CodexBinaryLocator"/> tries <c>CODEX_CLI_PATH</c> and then <c>PATH</c>.
    /// </summary>
    public string? ExecutablePath { get; set; }

    /// <summary>Extra arguments after <c>app-server</c>, e.g. <c>-c key=value</c> overrides.</summary>
    public IList<string> ExtraArguments { get; } = new List<string>();

    /// <summary>
    /// Environment variables to set for the process on top of the current environment; a null value removes the
    /// variable.
    /// </summary>
    public IDictionary<string, string?> Environment { get; } = new Dictionary<string, string?>(StringComparer.Ordinal);

    /// <summary>Working directory of the process; the current directory when null.</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>The <c>CODEX_HOME</c> folder (config, sessions, logs); codex's own default (~/.codex) when null.</summary>
    public string? CodexHome { get; set; }

    /// <summary>How long dispose waits for codex to exit after closing its stdin before it sends SIGTERM.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long dispose waits after SIGTERM before it kills the whole process tree (no SIGTERM on Windows).</summary>
    public TimeSpan TerminateTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How many of the last stderr lines are kept for error messages.</summary>
    public int StderrTailLines { get; set; } = 40;
}
