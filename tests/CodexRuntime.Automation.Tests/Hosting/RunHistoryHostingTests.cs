using CodexRuntime.Automation;
using CodexRuntime.Automation.Tests.Support;
using CodexRuntime.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CodexRuntime.Automation.Tests.Hosting;

/// <summary>
/// <see cref="CodexAutomations.ReadHistoryAsync"/> reads a hosted automation's run history from the state store its
/// options name: before the host starts, while it runs, after it stopped, and when the automation failed to start.
/// </summary>
public sealed class RunHistoryHostingTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T = ScriptedCodex.Start;
    private static readonly TimeSpan Deadline = ScriptedCodex.Deadline;
    private static readonly AutomationSpec Spec = new() { Prompt = "nightly report", Every = TimeSpan.FromSeconds(10) };
    private readonly ScriptedAppServer _server = new();
    private readonly FakeTimeProvider _clock = new(T);
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("codex-automation-host-history-");
    private ScriptedTurns _turns = null!;

    private JsonFileAutomationStateStore Store => new(_folder.FullName);

    public Task InitializeAsync()
    {
        _turns = new ScriptedTurns(_server);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _folder.Delete(recursive: true);
    }

    [Fact]
    public async Task The_history_is_read_from_di_before_the_host_starts_while_it_runs_and_after_it_stopped()
    {
        using var host = Build(Store);
        var automations = host.Services.GetRequiredService<CodexAutomations>();
        Assert.Empty(await automations.ReadHistoryAsync("nightly"));

        await host.StartAsync().WaitAsync(Deadline);
        var handle = await automations.WaitForHandleAsync("nightly").WaitAsync(Deadline);
        var first = await _turns.NextAsync();
        await first.CompleteAsync();
        await handle.WaitForRunAsync(1);
        _clock.Advance(TimeSpan.FromSeconds(10));
        var second = await _turns.NextAsync();
        await second.CompleteAsync();
        await handle.WaitForRunAsync(2);

        var running = await automations.ReadHistoryAsync("nightly");
        await host.StopAsync().WaitAsync(Deadline);
        var stopped = await automations.ReadHistoryAsync("nightly", limit: 1);

        Assert.Equal([(2, second.TurnId, second.ThreadId), (1, first.TurnId, first.ThreadId)], running.Select(r => (r.Number, r.TurnId, r.ThreadId)));
        Assert.Equal([running[0]], stopped);
    }

    [Fact]
    public async Task The_hosted_retention_setting_reaches_the_store()
    {
        using var host = Build(Store, runHistoryLimit: 1);
        var automations = host.Services.GetRequiredService<CodexAutomations>();
        await host.StartAsync().WaitAsync(Deadline);
        var handle = await automations.WaitForHandleAsync("nightly").WaitAsync(Deadline);
        await (await _turns.NextAsync()).CompleteAsync();
        await handle.WaitForRunAsync(1);
        _clock.Advance(TimeSpan.FromSeconds(10));
        var second = await _turns.NextAsync();
        await second.CompleteAsync();
        await handle.WaitForRunAsync(2);
        await host.StopAsync().WaitAsync(Deadline);

        var kept = Assert.Single(await automations.ReadHistoryAsync("nightly"));
        Assert.Equal((2, second.TurnId), (kept.Number, kept.TurnId));
    }

    [Fact]
    public async Task An_automation_that_failed_to_start_still_has_its_history_read()
    {
        var store = Store;
        var earlier = new AutomationRunRecord("nightly", 1, T, T, T.AddSeconds(3), AutomationRunOutcome.Completed, null, null, "turn-a", "thread-a");
        await store.AppendRunAsync(earlier, keep: 10);
        // A damaged checkpoint refuses the start.
        await File.WriteAllTextAsync(store.PathOf("nightly"), "{}");
        using var host = Build(store);
        var automations = host.Services.GetRequiredService<CodexAutomations>();

        await host.StartAsync().WaitAsync(Deadline);
        await Assert.ThrowsAsync<InvalidOperationException>(() => automations.WaitForHandleAsync("nightly").WaitAsync(Deadline));

        Assert.Equal(AutomationState.Failed, automations.GetStatus("nightly").State);
        Assert.Equal([earlier], await automations.ReadHistoryAsync("nightly"));
        await host.StopAsync().WaitAsync(Deadline);
    }

    [Fact]
    public async Task Without_a_store_or_with_an_unknown_name_the_read_says_what_is_wrong()
    {
        using var host = Build(null);
        var automations = host.Services.GetRequiredService<CodexAutomations>();

        var none = await Assert.ThrowsAsync<InvalidOperationException>(async () => await automations.ReadHistoryAsync("nightly"));
        var unknown = await Assert.ThrowsAsync<KeyNotFoundException>(async () => await automations.ReadHistoryAsync("daily"));
        var limit = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await automations.ReadHistoryAsync("nightly", limit: AutomationRunRecord.MaxReadCount + 1));

        Assert.Contains("AutomationHostOptions.StateStore", none.Message, StringComparison.Ordinal);
        Assert.Contains("nightly", unknown.Message, StringComparison.Ordinal);
        Assert.Equal("limit", limit.ParamName);
    }

    private IHost Build(IAutomationStateStore? store, int runHistoryLimit = 1000)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddCodexRuntime("ops", o => _server.Attach(o)).AddAutomation("nightly", Spec, o =>
        {
            o.Session = new SessionConfig(Path.GetTempPath());
            o.StateStore = store;
            o.TimeProvider = _clock;
            o.RunHistoryLimit = runHistoryLimit;
        });
        return builder.Build();
    }
}
