namespace CodexRuntime.Web;

/// <summary>
/// The body of <c>POST /codex/sessions</c>, as documentation and OpenAPI schema only: the endpoint reads the raw JSON
/// strictly (an unknown member is a 400 naming it), not through this type.
/// </summary>
/// <param name="ArtifactId">What the session works on: a non-empty string of at most 200 characters.</param>
/// <param name="Model">A model from <see cref="WebAdapterOptions.AllowedModels"/>; the profile's model when absent.</param>
/// <param name="ThreadId">A thread this tenant's earlier session of the same artifact created, to resume it.</param>
public sealed record WebSessionRequest(string ArtifactId, string? Model = null, string? ThreadId = null);
