namespace CodexRuntime.ServerRequests;

/// <summary>Which server requests a <see cref="CodexServerRequestStream"/> claims.</summary>
public sealed class CodexServerRequestStreamOptions
{
    /// <summary>
    /// Claims the requests it returns true for (evaluated when a request arrives, off the reader loop). A stream with a
    /// filter is offered requests before the catch-all stream (the one without a filter; at most one is open at a
    /// time). Filtered streams are asked in the order they were opened.
    /// </summary>
    public Func<CodexServerRequest, bool>? Filter { get; set; }
}
