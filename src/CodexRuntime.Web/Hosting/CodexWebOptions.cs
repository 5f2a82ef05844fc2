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
}
