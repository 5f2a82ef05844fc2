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

    /// <summary>
    /// Start-and-attach: codex is started as <c>codex app-server --listen</c> on this <c>unix://</c> or <c>ws://</c>
    /// endpoint and the connection attaches to it over WebSocket; the process is supervised, stopped and reaped as on
    /// stdio. Null (or <see cref="CodexEndpoint.Stdio"/>) talks to the child over stdin/stdout. The codex binary must
    /// support the endpoint (checked with <c>app-server --help</c> before it starts; an older codex gets
    /// <see cref="CodexCompatibilityException"/>). See docs/transports.md.
    /// </summary>
    public CodexEndpoint? Listen { get; set; }

    /// <summary>
    /// Attach-only: connect to an app-server that already listens on this <c>unix://</c> or <c>ws://</c> endpoint; no
    /// process is started or stopped (the settings above about the process do not apply), and after a restart of this
    /// program the server still has its threads and running turns. Takes precedence over <see cref="Listen"/>.
    /// </summary>
    public CodexEndpoint? Attach { get; set; }

    /// <summary>
    /// The WebSocket token, sent as <c>Authorization: Bearer</c>. With <see cref="Listen"/> on <c>ws://</c> codex is
    /// started with <c>--ws-auth capability-token</c> and this token's SHA-256 (the token itself never appears on a
    /// command line); with <see cref="Attach"/> it is the server's capability token or a signed JWT. Not used on
    /// <c>unix://</c>, where the socket file's permissions are the access control.
    /// </summary>
    public string? WebSocketToken { get; set; }

    /// <summary>How long start-and-attach waits for the listener to accept, and attach-only for the connect and upgrade.</summary>
    public TimeSpan ListenTimeout { get; set; } = TimeSpan.FromSeconds(15);
}
