namespace CodexRuntime;

/// <summary>
/// The connection to codex is gone: the process exited, the pipe broke, or the connection was disposed.
/// Every call pending at that moment fails with this exception.
/// </summary>
public sealed class CodexTransportClosedException : CodexException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why the connection closed.</param>
    /// <param name="exitCode">The process exit code, when the transport is a process that has exited.</param>
    /// <param name="stderrTail">The last lines the process wrote to stderr, if any.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public CodexTransportClosedException(string message, int? exitCode, string stderrTail, Exception? innerException = null)
        : base(Describe(message, exitCode, stderrTail), innerException)
    {
        ExitCode = exitCode;
        StderrTail = stderrTail;
    }

    /// <summary>The process exit code, when the transport is a process that has exited.</summary>
    public int? ExitCode { get; }

    /// <summary>The last lines the process wrote to stderr (bounded), or an empty string.</summary>
    public string StderrTail { get; }

    private static string Describe(string message, int? exitCode, string stderrTail)
    {
        // The message may end with its own period; one sentence end, then the exit code inside it.
        var sentence = message.TrimEnd().TrimEnd('.');
        var text = exitCode is { } code ? $"{sentence} (exit code {code})." : $"{sentence}.";
        return string.IsNullOrEmpty(stderrTail) ? text : $"{text} Last stderr lines:{Environment.NewLine}{stderrTail}";
    }
}
