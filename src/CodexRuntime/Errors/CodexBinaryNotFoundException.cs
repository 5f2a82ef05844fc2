namespace CodexRuntime;

/// <summary>The codex executable could not be located.</summary>
public sealed class CodexBinaryNotFoundException : CodexConnectException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Where the locator looked and how to install codex.</param>
    /// <param name="searchedLocations">Every place that was tried, in order.</param>
    public CodexBinaryNotFoundException(string message, IReadOnlyList<string> searchedLocations)
        : base(message)
    {
        SearchedLocations = searchedLocations;
    }

    /// <summary>Every place that was tried, in order.</summary>
    public IReadOnlyList<string> SearchedLocations { get; }
}
