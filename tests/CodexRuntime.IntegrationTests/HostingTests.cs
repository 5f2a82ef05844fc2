using CodexRuntime;
using CodexRuntime.IntegrationTests.Support;
using CodexRuntime.State;
using CodexRuntime.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodexRuntime.IntegrationTests;

/// <summary>
/// AddCodexRuntime in a Generic Host on the real binary: invalid options fail host start with a clear message and start
/// no codex; a valid host connects at start, runs a turn, and leaves no process when it stops.
/// </summary>
public sealed class HostingTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task A_valid_host_connects_at_start_runs_a_turn_and_leaves_no_process_at_stop(string version)
    {
        await using var sandbox = await CodexSandbox.CreateAsync(version, "never", [FakeModelResponse.Text("Hello from the hosted client.")]);
        var (wrapper, marker) = await MarkingWrapperAsync(sandbox);
        using var host = BuildHost(sandbox, new()
        {
            ["CodexRuntime:RequestTimeout"] = "00:00:30",
            ["CodexRuntime:DefaultProfile:Timeout"] = "00:01:00",
        }, wrapper);

        await host.StartAsync().WaitAsync(Deadline);

        Assert.True(File.Exists(marker), "the hosted service did not start codex at host start");
        var client = host.Services.GetRequiredService<CodexClient>();
        Assert.Equal(CodexConnectionStatus.Connected, client.Runtime.Status);
        var processId = Assert.IsType<int>(client.ProcessId);
        Assert.True(ProcessProbe.IsRunning(processId));
        Assert.Equal(TimeSpan.FromSeconds(30), client.Config.Runtime.Connection.RequestTimeout);
        var session = await client.StartSessionAsync(new SessionConfig(sandbox.Workspace.FullName)).WaitAsync(Deadline);
        var answer = await session.AskAsync("Say hello.").WaitAsync(Deadline);
        Assert.Equal("Hello from the hosted client.", answer.Text);
        var descendants = ProcessProbe.GetDescendants(processId);

        await host.StopAsync().WaitAsync(Deadline);

        Assert.Equal(CodexConnectionStatus.Stopped, client.Runtime.Status);
        Assert.False(ProcessProbe.IsRunning(processId));
        Assert.DoesNotContain(descendants, ProcessProbe.IsRunning);
    }

    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task Invalid_options_fail_host_start_with_a_message_naming_the_setting_and_start_no_codex(string version)
    {
        await using var sandbox = await CodexSandbox.CreateAsync(version, "never", []);
        var (wrapper, marker) = await MarkingWrapperAsync(sandbox);
        using var host = BuildHost(sandbox, new() { ["CodexRuntime:RequestTimeout"] = "00:00:00" }, wrapper);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WaitAsync(Deadline));

        Assert.Contains("the default codex client (configuration section 'CodexRuntime')", error.Message, StringComparison.Ordinal);
        Assert.Contains("Runtime.Connection.RequestTimeout", error.Message, StringComparison.Ordinal);
        Assert.Contains("use a positive time", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(marker), "codex was started although the options are invalid");
        Assert.Empty(sandbox.Model.ModelRequests);
    }

    private static IHost BuildHost(CodexSandbox sandbox, Dictionary<string, string?> settings, string cliPath)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = sandbox.Workspace.FullName });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddCodexRuntime(o =>
        {
            o.Runtime.Process = sandbox.ProcessOptions();   // the isolated CODEX_HOME and an empty HOME
            o.Runtime.Process.ExecutablePath = cliPath;
        }).WithHostedService();
        return builder.Build();
    }

    /// <summary>A stand-in for the binary that leaves a mark, then becomes codex (exec: same pid): proof of whether codex was started.</summary>
    private static async Task<(string Wrapper, string Marker)> MarkingWrapperAsync(CodexSandbox sandbox)
    {
        var marker = Path.Combine(sandbox.Workspace.FullName, "codex-was-started");
        var wrapper = Path.Combine(sandbox.Workspace.FullName, "codex-wrapper.sh");
        await File.WriteAllTextAsync(wrapper, $"#!/bin/sh\ntouch '{marker}'\nexec '{sandbox.Binary}' \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return (wrapper, marker);
    }
}
