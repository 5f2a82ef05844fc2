namespace CodexRuntime.Web.Hosting;

/// <summary>The web adapter's options in DI: the adapter's own, plus the HTTP ones.</summary>
public sealed class CodexWebOptions
{
    /// <summary>What the server decides for every session (cwd, profile, allowed models, limits).</summary>
    public WebAdapterOptions Adapter { get; } = new();

    /// <summary>
    /// Whether <c>MapCodexRuntime</c> requires an authenticated user on every endpoint (true by default). Turn it off
    /// only when your own policy on the returned route group does the same.
    /// </summary>
    public bool RequireAuthorization { get; set; } = true;

    /// <summary>
    /// Whether a state-changing request (POST, DELETE) that carries an <c>Origin</c> header must come from the
    /// request's own origin (its scheme, host and port) or one of <see cref="AllowedOrigins"/>; any other is a 403
    /// and reaches nothing. On by default: with cookie authentication, another website's page could otherwise send
    /// turns and approval answers as the signed-in user. Requests without <c>Origin</c> (servers, curl) pass.
    /// </summary>
    public bool RequireSameOrigin { get; set; } = true;

    /// <summary>
    /// Other origins whose pages may send state-changing requests, as <c>scheme://host[:port]</c> (e.g.
    /// <c>https://app.example.com</c>); also the public origin when a proxy changes the scheme or host the app sees
    /// and forwarded headers are not applied.
    /// </summary>
    public IList<string> AllowedOrigins { get; } = new List<string>();
}
