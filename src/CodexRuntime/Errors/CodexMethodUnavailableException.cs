namespace CodexRuntime;

/// <summary>The connected codex is not known to have the method (it is newer than that codex version).</summary>
public sealed class CodexMethodUnavailableException : CodexRequestValidationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="method">The method.</param>
    /// <param name="serverVersion">The connected codex version.</param>
    /// <param name="knownFrom">The oldest codex version known to have the method.</param>
    public CodexMethodUnavailableException(string method, string serverVersion, string knownFrom)
        : base(method, $"'{method}' is not available in the connected codex {serverVersion}: it is known from codex {knownFrom} on. Upgrade codex, or send it as a raw request with validation turned off (ValidationMode = None) if you know this version has it.")
    {
        ServerVersion = serverVersion;
        KnownFrom = knownFrom;
    }

    /// <summary>The connected codex version.</summary>
    public string ServerVersion { get; }

    /// <summary>The oldest codex version known to have the method.</summary>
    public string KnownFrom { get; }
}
