namespace CodexRuntime;

/// <summary>The connected codex is older than the minimum version this library supports.</summary>
public sealed class CodexCompatibilityException : CodexConnectException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The found and required versions and how to fix it.</param>
    /// <param name="foundVersion">The version read from the server's user agent, or null when it could not be read.</param>
    /// <param name="requiredVersion">The minimum version required.</param>
    /// <param name="userAgent">The user agent string the server returned.</param>
    public CodexCompatibilityException(string message, string? foundVersion, string requiredVersion, string userAgent)
        : base(message)
    {
        FoundVersion = foundVersion;
        RequiredVersion = requiredVersion;
        UserAgent = userAgent;
    }

    /// <summary>The version read from the server's user agent, or null when it could not be read.</summary>
    public string? FoundVersion { get; }

    /// <summary>The minimum version required.</summary>
    public string RequiredVersion { get; }

    /// <summary>The user agent string the server returned from <c>initialize</c>.</summary>
    public string UserAgent { get; }
}
