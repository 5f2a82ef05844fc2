namespace CodexRuntime;

/// <summary>
/// Base type of every exception that CodexRuntime throws on purpose. Catch this to handle any
/// failure of the codex app-server, its process or the connection to it.
/// </summary>
/// <remarks>Messages describe shapes (method names, sizes, versions), never prompt text or secrets.</remarks>
public class CodexException : Exception
{
    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong and, where possible, how to fix it.</param>
    public CodexException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    /// <param name="message">What went wrong and, where possible, how to fix it.</param>
    /// <param name="innerException">The underlying failure.</param>
    public CodexException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
