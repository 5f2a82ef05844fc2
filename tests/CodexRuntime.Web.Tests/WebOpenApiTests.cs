using System.Text.Json.Nodes;
using CodexRuntime.Protocol;
using CodexRuntime.Testing;
using CodexRuntime.Web.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace CodexRuntime.Web.Tests;

/// <summary>An app's OpenAPI document (Microsoft.AspNetCore.OpenApi) describes every Codex endpoint from the endpoints' metadata alone.</summary>
public sealed class WebOpenApiTests
{
    [Fact]
    public async Task The_OpenAPI_document_lists_every_endpoint_with_its_request_and_response_schemas()
    {
        await using var host = await WebHost.StartAsync(CodexProtocolVersions.Pinned.ToString(), [FakeModelResponse.Text("never sent")],
            setup: (builder, _) => builder.Services.AddOpenApi(),
            map: (app, _) => app.MapOpenApi());
        using var http = host.For(null);
        using var response = await http.GetAsync("/openapi/v1.json");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        var document = JsonNode.Parse(text)!;
        var paths = document["paths"]!.AsObject();

        var expected = new (string Path, string Method, string? RequestSchema, string Status, string? ResponseSchema, string[] Problems)[]
        {
            ("/codex/sessions", "post", "WebSessionRequest", "201", "WebSessionInfo", ["400", "401", "403", "409", "413", "415", "429"]),
            ("/codex/sessions/{sessionId}", "get", null, "200", "WebSessionState", ["401", "404"]),
            ("/codex/sessions/{sessionId}", "delete", null, "204", null, ["401", "404", "409"]),
            ("/codex/sessions/{sessionId}/turns", "post", "WebTurnRequest", "202", "WebTurnStarted", ["400", "401", "404", "409", "413", "415", "429"]),
            ("/codex/sessions/{sessionId}/interrupt", "post", null, "202", null, ["401", "404"]),
            ("/codex/sessions/{sessionId}/approvals/{approvalId}", "post", "WebApprovalAnswerRequest", "204", null, ["400", "401", "404", "415"]),
            ("/codex/sessions/{sessionId}/events", "get", null, "200", "WebEvent", ["401", "404"]),
            ("/codex/sessions/{sessionId}/approvals", "get", null, "200", "WebEvent", ["401", "404"]),
        };
        foreach (var (path, method, requestSchema, status, responseSchema, problems) in expected)
        {
            var operation = paths[path]?[method];
            Assert.True(operation is not null, $"{method} {path} is missing: {string.Join(", ", paths.Select(p => p.Key))}");
            Assert.Contains("Codex", operation["tags"]!.AsArray().Select(t => (string)t!));
            Assert.False(string.IsNullOrEmpty((string?)operation["operationId"]), $"{method} {path} has no name");
            Assert.False(string.IsNullOrEmpty((string?)operation["summary"]), $"{method} {path} has no summary");
            if (requestSchema is null)
            {
                Assert.Null(operation["requestBody"]);
            }
            else
            {
                Assert.Equal($"#/components/schemas/{requestSchema}", (string?)operation["requestBody"]?["content"]?["application/json"]?["schema"]?["$ref"]);
            }

            var responses = operation["responses"]!;
            Assert.True(responses[status] is not null, $"{method} {path}: no {status} in {responses.ToJsonString()}");
            if (responseSchema is not null)
            {
                var content = responses[status]!["content"]!.AsObject().Single();
                var schema = content.Value!["schema"]!;
                Assert.Contains($"#/components/schemas/{responseSchema}", schema.ToJsonString(), StringComparison.Ordinal);
            }

            foreach (var problem in problems)
            {
                Assert.True(responses[problem]?["content"]?["application/problem+json"] is not null, $"{method} {path}: no ProblemDetails {problem} in {responses.ToJsonString()}");
            }
        }

        var schemas = document["components"]!["schemas"]!;
        Assert.NotNull(schemas["WebTurnRequest"]!["properties"]!["text"]);
        Assert.NotNull(schemas["WebTurnRequest"]!["properties"]!["attachments"]);
        Assert.NotNull(schemas["WebSessionRequest"]!["properties"]!["artifactId"]);
        Assert.NotNull(schemas["WebApprovalAnswerRequest"]!["properties"]!["decision"]);
        Assert.NotNull(schemas["WebSessionState"]!["properties"]!["pendingApprovals"]);
    }
}
