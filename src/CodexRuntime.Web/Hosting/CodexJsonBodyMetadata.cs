using Microsoft.AspNetCore.Http.Metadata;

namespace CodexRuntime.Web.Hosting;

/// <summary>
/// The request body's type for OpenAPI (which documents it as <c>application/json</c>). Not <c>Accepts&lt;T&gt;(
/// "application/json")</c>: its content types make routing refuse another Content-Type itself, with a bare 415 and
/// before the endpoint runs; without them the endpoint's own reader gives the 415 as a ProblemDetails saying the fix.
/// </summary>
/// <param name="requestType">The documented body shape.</param>
internal sealed class CodexJsonBodyMetadata(Type requestType) : IAcceptsMetadata
{
    public IReadOnlyList<string> ContentTypes { get; } = [];

    public Type? RequestType { get; } = requestType;

    public bool IsOptional => false;
}
