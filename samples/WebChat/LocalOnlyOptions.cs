namespace WebChat;

/// <summary>What else <see cref="LocalOnly"/> counts as this machine's own page.</summary>
public sealed class LocalOnlyOptions
{
    /// <summary>
    /// The port of a local proxy in front of this app (the replicas mode's round-robin proxy, which passes the browser's
    /// Host on): a request naming this machine at that port, and its Origin, are as much this page's as those naming
    /// the port the request came in on. Null: only that port.
    /// </summary>
    public int? ProxyPort { get; set; }
}
