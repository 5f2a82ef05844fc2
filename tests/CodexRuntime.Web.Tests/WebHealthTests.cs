using System.Net;
using CodexRuntime;
using CodexRuntime.Protocol;
using CodexRuntime.Testing;
using CodexRuntime.Web;
using CodexRuntime.Web.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CodexRuntime.Web.Tests;

/// <summary><c>AddCodexRuntime().AddHealthChecks()</c> over the real codex, mapped by the app with <c>MapHealthChecks</c>.</summary>
public sealed class WebHealthTests
{
    [Theory]
    [MemberData(nameof(WebTheories.Versions), MemberType = typeof(WebTheories))]
    public async Task The_codex_health_check_is_degraded_before_connecting_healthy_with_the_codex_version_when_connected(string version)
    {
        await using var host = await WebHost.StartAsync(version, [FakeModelResponse.Text("never sent")],
            setup: (_, codex) => codex.AddHealthChecks(),
            map: (app, _) => app.MapHealthChecks("/healthz"));
        using var http = host.For(null);
        var checks = host.Services.GetRequiredService<HealthCheckService>();

        var before = await checks.CheckHealthAsync();
        Assert.Equal(HealthStatus.Degraded, before.Entries["codex"].Status);

        using var a = host.For("tenant-a");
        await a.CreateSessionAsync(); // the client connects on first use
        using var response = await http.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
        var report = await checks.CheckHealthAsync();
        var entry = report.Entries["codex"];
        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Contains(version, entry.Description, StringComparison.Ordinal);
        Assert.Equal(version, entry.Data["version"]?.ToString());

        await host.Client.DisposeAsync();
        using var stopped = await http.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, stopped.StatusCode);
        Assert.Equal("Unhealthy", await stopped.Content.ReadAsStringAsync());
    }
}
