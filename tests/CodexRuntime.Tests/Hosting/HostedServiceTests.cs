using CodexRuntime;
using CodexRuntime.State;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CodexRuntime.Tests.Hosting;

/// <summary>Options validated at host start; clients connected at host start and stopped at host stop (no process: scripted transports).</summary>
public sealed class HostedServiceTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_zero_request_timeout_fails_host_start_naming_the_setting()
    {
        await using var transports = new ScriptedTransports();
        var builder = Host.CreateEmptyApplicationBuilder(null);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["CodexRuntime:RequestTimeout"] = "00:00:00" });
        builder.Services.AddCodexRuntime(transports.ApplyTo).WithHostedService();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal(typeof(ClientConfig), error.OptionsType);
        Assert.Contains("the default codex client (configuration section 'CodexRuntime')", error.Message, StringComparison.Ordinal);
        Assert.Contains("RequestTimeout", error.Message, StringComparison.Ordinal);
        Assert.Contains("Runtime.Connection.RequestTimeout is 00:00:00; use a positive time", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, transports.Count);
    }

    [Fact]
    public async Task A_missing_cli_path_of_a_named_client_fails_host_start_naming_the_setting_and_the_fix()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-dir", "codex");
        var builder = Host.CreateEmptyApplicationBuilder(null);
        builder.Services.AddCodexRuntime("reviewer", o => o.Runtime.Process.ExecutablePath = missing);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Equal("reviewer", error.OptionsName);
        Assert.Contains("codex client 'reviewer' (configuration section 'CodexRuntime:Clients:reviewer')", error.Message, StringComparison.Ordinal);
        Assert.Contains($"Runtime.Process.ExecutablePath (configuration key CliPath) '{missing}' does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains("leave it empty to search PATH", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_host_resolving_an_invalid_client_throws_the_same_validation_error()
    {
        var services = new ServiceCollection();
        services.AddCodexRuntime(o => o.DefaultProfile.Timeout = TimeSpan.Zero);
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<CodexClient>());

        Assert.Contains("DefaultProfile.Timeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_hosted_service_connects_every_client_at_start_and_stops_them_at_stop()
    {
        await using var transports = new ScriptedTransports();
        var builder = Host.CreateEmptyApplicationBuilder(null);
        builder.Services.AddCodexRuntime(transports.ApplyTo).WithHostedService();
        builder.Services.AddCodexRuntime("second", transports.ApplyTo).WithHostedService();
        builder.Services.AddCodexRuntime("lazy", transports.ApplyTo);
        using var host = builder.Build();

        await host.StartAsync().WaitAsync(Deadline);

        var client = host.Services.GetRequiredService<CodexClient>();
        var second = host.Services.GetRequiredKeyedService<CodexClient>("second");
        var lazy = host.Services.GetRequiredKeyedService<CodexClient>("lazy");
        Assert.Equal(CodexConnectionStatus.Connected, client.Runtime.Status);
        Assert.Equal(CodexConnectionStatus.Connected, second.Runtime.Status);
        Assert.Equal(CodexConnectionStatus.NotStarted, lazy.Runtime.Status);
        Assert.Equal(2, transports.Count);

        await host.StopAsync().WaitAsync(Deadline);

        Assert.Equal(CodexConnectionStatus.Stopped, client.Runtime.Status);
        Assert.Equal(CodexConnectionStatus.Stopped, second.Runtime.Status);
        Assert.All(transports.Transports, transport => Assert.True(transport.Exited.IsCompleted));
    }

    [Fact]
    public async Task When_one_client_fails_to_start_the_ones_started_before_it_are_stopped()
    {
        await using var transports = new ScriptedTransports();
        var builder = Host.CreateEmptyApplicationBuilder(null);
        builder.Services.AddCodexRuntime(transports.ApplyTo).WithHostedService();
        builder.Services.AddCodexRuntime("broken", o => o.Runtime.TransportFactory = _ => throw new IOException("no codex here")).WithHostedService();
        using var host = builder.Build();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync().WaitAsync(Deadline));

        Assert.Contains("no codex here", error.ToString(), StringComparison.Ordinal);
        var client = host.Services.GetRequiredService<CodexClient>();
        Assert.Equal(CodexConnectionStatus.Stopped, client.Runtime.Status);
        Assert.True(Assert.Single(transports.Transports).Exited.IsCompleted);
    }

    [Fact]
    public async Task Disposing_the_container_stops_a_client_connected_on_first_use()
    {
        await using var transports = new ScriptedTransports();
        var services = new ServiceCollection();
        services.AddCodexRuntime(transports.ApplyTo);
        var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<CodexClient>();
        await client.ConnectAsync().WaitAsync(Deadline);
        Assert.Equal(CodexConnectionStatus.Connected, client.Runtime.Status);

        await provider.DisposeAsync().AsTask().WaitAsync(Deadline);

        Assert.Equal(CodexConnectionStatus.Stopped, client.Runtime.Status);
        Assert.True(Assert.Single(transports.Transports).Exited.IsCompleted);
    }
}
