namespace CodexRuntime.Web.Hosting;

/// <summary>Marks the endpoints <c>MapCodexRuntime</c> maps, so handlers that serve the whole app (authorization results) act on these only.</summary>
internal sealed class CodexEndpointMetadata
{
    public static readonly CodexEndpointMetadata Instance = new();
}
