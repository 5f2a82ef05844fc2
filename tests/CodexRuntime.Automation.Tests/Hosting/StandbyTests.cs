using CodexRuntime.Automation;
using CodexRuntime.Automation.Tests.Support;
using CodexRuntime.Testing;
using CodexRuntime.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CodexRuntime.Automation.Tests.Hosting;

/// <summary>
/// Two hosts configured with the same automation on one state store: the second stands by (its status says who owns
/// the name, it opens no session) and takes over when the owner's host stops, continuing the owner's count and thread.
/// On the real clock with a short poll interval: the standby's retry is the behaviour under test.
/// </summary>
public sealed class StandbyTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = ScriptedCodex.Deadline;
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("codex-automation-standby-");
    private readonly ScriptedAppServer _ownerServer = new();
    private readonly ScriptedAppServer _standbyServer = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _ownerServer.DisposeAsync();
        await _standbyServer.DisposeAsync();
        _folder.Delete(recursive: true);
    }

    [Fact]
    public async Task A_second_host_stands_by_without_a_session_and_takes_over_when_the_owner_stops()
    {
        // One run at start, the next an hour later: nothing else runs while the test looks.
        var spec = new AutomationSpec { Prompt = "hourly check", Every = TimeSpan.FromHours(1) };
        var ownerTurns = new ScriptedTurns(_ownerServer);
        var standbyTurns = new ScriptedTurns(_standbyServer);
        var standingBy = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        using var owner = Build(_ownerServer, spec, null);
        await owner.StartAsync().WaitAsync(Deadline);
        var owned = await owner.Services.GetRequiredService<CodexAutomations>().WaitForHandleAsync("hourly").WaitAsync(Deadline);
        await (await ownerTurns.NextAsync()).CompleteAsync("checked");
        await owned.WaitForRunAsync(1);

        // Event 164: the hosted service logged that another process owns the name and it stands by.
        using var standby = Build(_standbyServer, spec, new LogEventSignal(164, () => standingBy.TrySetResult()));
        await standby.StartAsync().WaitAsync(Deadline);
        var automations = standby.Services.GetRequiredService<CodexAutomations>();
        await standingBy.Task.WaitAsync(Deadline);

        var waiting = automations.GetStatus("hourly");
        Assert.Equal(AutomationState.Standby, waiting.State);
        Assert.Contains($"process {Environment.ProcessId}", waiting.LastError, StringComparison.Ordinal);
        Assert.False(automations.TryGetHandle("hourly", out _));
        Assert.Null(waiting.ThreadId);

        var ownerStatus = owned.Status;
        await owner.StopAsync().WaitAsync(Deadline);

        var tookOver = await automations.WaitForHandleAsync("hourly").WaitAsync(Deadline);
        var status = tookOver.Status;
        // The owner's count, due time and thread carry over through the checkpoint; no run is repeated.
        Assert.Equal((AutomationState.Waiting, 1, ownerStatus.NextDueAt, ownerStatus.ThreadId), (status.State, status.RunsCompleted, status.NextDueAt, status.ThreadId));
        Assert.Equal(0, standbyTurns.Count);
        Assert.Equal(1, ownerTurns.Count);
        await standby.StopAsync().WaitAsync(Deadline);
    }

    private IHost Build(ScriptedAppServer server, AutomationSpec spec, ILoggerProvider? log)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        if (log is not null)
        {
            builder.Logging.AddProvider(log);
        }

        builder.Services.AddCodexRuntime(o => server.Attach(o)).AddAutomation("hourly", spec, o =>
        {
            o.Session = new SessionConfig(Path.GetTempPath());
            o.StateStore = new JsonFileAutomationStateStore(_folder.FullName);
            o.StandbyPollInterval = TimeSpan.FromMilliseconds(20);
        });
        return builder.Build();
    }
}
