namespace CodexRuntime;

/// <summary>A call on a session that was already closed or disposed (a disposed <c>CodexClient</c> throws <see cref="ObjectDisposedException"/>).</summary>
public sealed class CodexSessionClosedException : CodexException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="what">What is closed, e.g. <c>session for thread 0199…</c>.</param>
    /// <param name="how">How it was closed, e.g. <c>CloseAsync archived its thread</c>.</param>
    public CodexSessionClosedException(string what, string how)
        : base($"The {what} is closed ({how}). Start a new session, or resume the thread with CodexClient.ResumeSessionAsync.")
    {
    }
}
