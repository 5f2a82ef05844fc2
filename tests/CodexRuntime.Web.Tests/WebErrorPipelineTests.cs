using System.Net;
using System.Security.Claims;
using System.Text.Json.Nodes;
using CodexRuntime.Protocol;
using CodexRuntime.Testing;
using CodexRuntime.Web.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CodexRuntime.Web.Tests;

/// <summary>401 / 403 of the authorization middleware, cross-site requests, and the app's own errors with the three lines of docs/web.md.</summary>
public sealed class WebErrorPipelineTests
{
    private static readonly string Newest = CodexProtocolVersions.Pinned.ToString();

    [Fact]
    public async Task Unauthenticated_and_forbidden_are_ProblemDetails_on_the_Codex_endpoints_only()
    {
        await using var host = await WebHost.StartAsync(Newest, [FakeModelResponse.Text("never sent")], map: (app, codex) =>
        {
            codex.RequireAuthorization(policy => policy.RequireAssertion(c => c.User.FindFirst(ClaimTypes.NameIdentifier)?.Value != "blocked"));
            app.MapGet("/other", () => "other").RequireAuthorization();
            app.MapGet("/other-forbidden", () => "other").RequireAuthorization(policy => policy.RequireAssertion(_ => false));
        });
        using var anonymous = host.For(null);
        using var blocked = host.For("blocked");

        using (var response = await anonymous.PostAsync("/codex/sessions", CodexHttp.Json(new JsonObject { ["artifactId"] = "doc-1" })))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var problem = await response.ProblemAsync();
            Assert.Equal(401, (int)problem["status"]!);
            Assert.NotNull(problem["traceId"]);
        }

        using (var response = await blocked.GetAsync("/codex/sessions/" + new string('0', 32)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal(403, (int)(await response.ProblemAsync())["status"]!);
        }

        // The app's other endpoints keep the framework's behavior: status only, no body.
        using (var other = await anonymous.GetAsync("/other"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
            Assert.Empty(await other.Content.ReadAsByteArrayAsync());
        }

        using (var other = await blocked.GetAsync("/other-forbidden"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
            Assert.Empty(await other.Content.ReadAsByteArrayAsync());
        }

        Assert.Equal(0, host.Adapter.OpenSessions);
    }

    [Fact]
    public async Task A_state_changing_request_from_a_foreign_origin_is_403_and_reaches_nothing()
    {
        await using var host = await WebHost.StartAsync(Newest, [FakeModelResponse.Text("never sent")], options => options.AllowedOrigins.Add("https://app.example.com"));
        using var a = host.For("tenant-a");
        var own = host.BaseAddress.GetLeftPart(UriPartial.Authority);
        var (sessionId, _) = await a.CreateSessionAsync();

        foreach (var origin in new[] { "https://evil.example", "null", own.Replace("http://", "https://", StringComparison.Ordinal), "http://127.0.0.1:1" })
        {
            foreach (var (method, path, body) in new (HttpMethod, string, JsonNode?)[]
            {
                (HttpMethod.Post, "/codex/sessions", new JsonObject { ["artifactId"] = "doc-x" }),
                (HttpMethod.Post, $"/codex/sessions/{sessionId}/turns", new JsonObject { ["text"] = "hijack" }),
                (HttpMethod.Post, $"/codex/sessions/{sessionId}/approvals/{Guid.NewGuid()}", new JsonObject { ["decision"] = "accept" }),
                (HttpMethod.Post, $"/codex/sessions/{sessionId}/interrupt", null),
                (HttpMethod.Delete, $"/codex/sessions/{sessionId}", null),
            })
            {
                using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : CodexHttp.Json(body) };
                request.Headers.Add("Origin", origin);
                using var response = await a.SendAsync(request);
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path} from {origin}: {(int)response.StatusCode}");
                Assert.Equal(nameof(CodexWebErrorKind.ForeignOrigin), (string?)(await response.ProblemAsync())["title"]);
            }
        }

        Assert.Equal(1, host.Adapter.OpenSessions);
        Assert.Empty(host.Model.Requests);

        // Reading is not state-changing; the own origin, an allowed one and no Origin at all (non-browser clients) pass.
        using (var read = new HttpRequestMessage(HttpMethod.Get, $"/codex/sessions/{sessionId}"))
        {
            read.Headers.Add("Origin", "https://evil.example");
            using var response = await a.SendAsync(read);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        foreach (var origin in new[] { own, "https://app.example.com", "HTTPS://APP.example.com:443", null })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/codex/sessions") { Content = CodexHttp.Json(new JsonObject { ["artifactId"] = "doc-" + origin }) };
            if (origin is not null)
            {
                request.Headers.Add("Origin", origin);
            }

            using var response = await a.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"from {origin ?? "no origin"}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task An_allowed_origin_that_is_not_an_origin_fails_the_start_naming_the_setting()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            WebHost.StartAsync(Newest, [], options => options.AllowedOrigins.Add("https://app.example.com/chat")));
        Assert.Contains("CodexWebOptions.AllowedOrigins", error.Message, StringComparison.Ordinal);
        Assert.Contains("https://app.example.com/chat", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_apps_three_lines_unknown_routes_and_wrong_methods_are_ProblemDetails_too()
    {
        await using var host = await WebHost.StartAsync(Newest, [FakeModelResponse.Text("never sent")], pipeline: app =>
        {
            // docs/web.md, "Errors": AddProblemDetails (AddWeb does it), UseExceptionHandler, UseStatusCodePages.
            app.UseExceptionHandler();
            app.UseStatusCodePages();
        });
        using var a = host.For("tenant-a");
        using (var unknown = await a.GetAsync("/codex/nothing-here"))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            Assert.Equal(404, (int)(await unknown.ProblemAsync())["status"]!);
        }

        using (var wrongMethod = await a.PutAsync("/codex/sessions", CodexHttp.Json(new JsonObject())))
        {
            Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
            Assert.Equal(405, (int)(await wrongMethod.ProblemAsync())["status"]!);
        }
    }
}
