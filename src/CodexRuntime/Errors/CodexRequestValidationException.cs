namespace CodexRuntime;

/// <summary>A request was refused before anything was sent, because codex would reject it or does not have it.</summary>
public class CodexRequestValidationException : CodexException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="method">The refused method.</param>
    /// <param name="message">Which rule refused it and how to fix it.</param>
    public CodexRequestValidationException(string method, string message)
        : base(message)
    {
        Method = method;
    }

    /// <summary>The refused method.</summary>
    public string Method { get; }
}
