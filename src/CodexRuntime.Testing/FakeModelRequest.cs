using System.Text.Json.Nodes;

namespace CodexRuntime.Testing;

/// <summary>One HTTP request that <see cref="FakeModelServer"/> received, recorded as it came.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The request path, e.g. <c>/v1/responses</c>.</param>
/// <param name="Body">The request body as text.</param>
/// <param name="ReceivedAt">When it arrived.</param>
/// <param name="Answer">Which scripted answer it got, or null when it got none (unscripted or not a model call).</param>
public sealed record FakeModelRequest(string Method, string Path, string Body, DateTimeOffset ReceivedAt, string? Answer)
{
    /// <summary>The body parsed as JSON, or null when it is not JSON.</summary>
    public JsonNode? Json
    {
        get
        {
            try
            {
                return JsonNode.Parse(Body);
            }
            catch (System.Text.Json.JsonException)
            {
                return null;
            }
        }
    }
}
