namespace CodexRuntime.Web;

/// <summary>The web adapter's options in DI: the adapter's own, plus the HTTP ones.</summary>
public sealed class CodexWebOptions
{
    /// <summary>What the server decides for every session (cwd, profile, allowed models, limits).</summary>
    public WebAdapterOptions Adapter { get; } = new();

    /// <summary>
    /// Whether <c>MapCodexRuntime</c> puts ASP.NET Core's authorization requirement (an authenticated user) on every
    /// endpoint (true by default). Turning it off removes only that requirement: every request still needs a tenant
    /// from the <see cref="ICodexTenantResolver"/> (the default one reads the signed-in user, so without a user it is
    /// still a 401), or <see cref="DevelopmentTenant"/>. Turn it off when your own policy on the returned route group
    /// decides who may call, or when a resolver of yours maps requests to tenants without ASP.NET Core authentication.
    /// </summary>
    public bool RequireAuthorization { get; set; } = true;

    /// <summary>
    /// The tenant of every request the <see cref="ICodexTenantResolver"/> finds no tenant for, to try the endpoints on
    /// a development machine without signing in; null (the default) answers such requests 401. Allowed only with
    /// <see cref="RequireAuthorization"/> off and in the Development environment: the host refuses to start otherwise,
    /// because every anonymous caller would share this tenant's sessions.
    /// </summary>
    public string? DevelopmentTenant { get; set; }

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
