using System.Net;
using System.Text.Json.Nodes;
using CodexRuntime.Protocol;
using CodexRuntime.Testing;
using CodexRuntime.Web;
using CodexRuntime.Web.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodexRuntime.Web.Tests;

/// <summary>
/// The three ways to run the endpoints (docs/web.md "Authorization"): authorization required (the default), not
/// required with the app's own tenant resolver, and a development tenant for anonymous callers on a development
/// machine, which the host refuses outside Development or with authorization still required.
/// </summary>
public sealed class WebAuthorizationModeTests
{
    private static readonly string Newest = CodexProtocolVersions.Pinned.ToString();

    [Fact]
    public async Task By_default_an_anonymous_request_is_401_and_a_signed_in_one_gets_its_session()
    {
        await using var host = await WebHost.StartAsync(Newest, [FakeModelResponse.Text("never sent")]);
        using var anonymous = host.For(null);
        using var signedIn = host.For("tenant-a");

        using var refused = await anonymous.PostJsonAsync("/codex/sessions", new JsonObject { ["artifactId"] = "doc-1" });
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("NotAuthenticated", (string?)(await refused.ProblemAsync())["title"]);

        var (sessionId, _) = await signedIn.CreateSessionAsync();
        Assert.Equal(HttpStatusCode.OK, (await signedIn.GetAsync($"/codex/sessions/{sessionId}")).StatusCode);
    }

    [Fact]
    public async Task Without_the_requirement_the_apps_own_resolver_decides_the_tenant()
    {
        await using var host = await WebHost.StartAsync(
            Newest,
            [FakeModelResponse.Text("never sent")],
            options => options.RequireAuthorization = false,
            setup: (builder, _) => builder.Services.AddSingleton<ICodexTenantResolver, ApiKeyTenants>());
        using var withKey = host.For(null);
        withKey.DefaultRequestHeaders.Add("X-Api-Key", "key-of-team-1");
        using var withoutKey = host.For(null);

        var (sessionId, _) = await withKey.CreateSessionAsync();
        Assert.Equal(HttpStatusCode.OK, (await withKey.GetAsync($"/codex/sessions/{sessionId}")).StatusCode);
        // No user and no key: the resolver finds no tenant, so still 401 (the option dropped only the user requirement).
        using var refused = await withoutKey.PostJsonAsync("/codex/sessions", new JsonObject { ["artifactId"] = "doc-1" });
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        // Another key is another tenant: this session is unknown to it.
        using var otherTeam = host.For(null);
        otherTeam.DefaultRequestHeaders.Add("X-Api-Key", "key-of-team-2");
        Assert.Equal(HttpStatusCode.NotFound, (await otherTeam.GetAsync($"/codex/sessions/{sessionId}")).StatusCode);
    }

    [Fact]
    public async Task A_development_tenant_lets_anonymous_callers_in_on_a_development_machine()
    {
        await using var host = await WebHost.StartAsync(
            Newest,
            [FakeModelResponse.Text("never sent")],
            options =>
            {
                options.RequireAuthorization = false;
                options.DevelopmentTenant = "dev";
            },
            environment: Environments.Development);
        using var first = host.For(null);
        using var second = host.For(null);

        var (sessionId, _) = await first.CreateSessionAsync();
        // Every anonymous caller is the one development tenant: the second sees the first one's session.
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync($"/codex/sessions/{sessionId}")).StatusCode);
        // A signed-in user keeps their own tenant.
        using var signedIn = host.For("tenant-a");
        Assert.Equal(HttpStatusCode.NotFound, (await signedIn.GetAsync($"/codex/sessions/{sessionId}")).StatusCode);
    }

    [Theory]
    [InlineData("Development", true, "RequireAuthorization")]
    [InlineData("Production", false, "Development environment")]
    [InlineData("Development", false, "blank")]
    public async Task A_development_tenant_the_host_cannot_honour_safely_stops_the_start(string environment, bool requireAuthorization, string said)
    {
        await using var server = new ScriptedAppServer();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddCodexRuntime(o => server.Attach(o)).AddWeb(options =>
        {
            options.Adapter.Cwd = Path.GetTempPath();
            options.RequireAuthorization = requireAuthorization;
            options.DevelopmentTenant = said == "blank" ? " " : "dev";
        });
        await using var app = builder.Build();

        // Checked when the endpoints are mapped (they read the options), before anything starts.
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            app.MapCodexRuntime("/codex");
            await app.StartAsync();
        });

        Assert.Contains("DevelopmentTenant", error.Message, StringComparison.Ordinal);
        Assert.Contains(said, error.Message, StringComparison.Ordinal);
    }

    /// <summary>An app's resolver without ASP.NET Core authentication: an API key names the tenant.</summary>
    private sealed class ApiKeyTenants : ICodexTenantResolver
    {
        public string? Resolve(HttpContext context) => context.Request.Headers["X-Api-Key"].ToString() switch
        {
            "key-of-team-1" => "team-1",
            "key-of-team-2" => "team-2",
            _ => null,
        };
    }
}
