namespace CodexRuntime;

/// <summary>An operation did not finish within its deadline.</summary>
public sealed class CodexTimeoutException : CodexException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="operation">What timed out, e.g. the JSON-RPC method name.</param>
    /// <param name="timeout">The deadline that passed.</param>
    /// <param name="innerException">The cancellation that ended the wait.</param>
    public CodexTimeoutException(string operation, TimeSpan timeout, Exception? innerException = null)
        : base($"'{operation}' did not complete within {timeout.TotalSeconds:0.###} s. Raise the timeout if the server is just slow, or check the codex stderr log for why it did not answer.", innerException)
    {
        Operation = operation;
        Timeout = timeout;
    }

    /// <summary>What timed out, e.g. the JSON-RPC method name.</summary>
    public string Operation { get; }

    /// <summary>The deadline that passed.</summary>
    public TimeSpan Timeout { get; }
}
