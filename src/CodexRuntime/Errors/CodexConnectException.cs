namespace CodexRuntime;

/// <summary>
/// The connection to codex could not be established: the binary was not found, the process did not
/// start, or the <c>initialize</c> handshake failed.
/// </summary>
public class CodexConnectException : CodexException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public CodexConnectException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
