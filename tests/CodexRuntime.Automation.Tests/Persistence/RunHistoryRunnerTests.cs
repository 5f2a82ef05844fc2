using System.Text.Json.Nodes;
using CodexRuntime.Automation.Tests.Support;
using Microsoft.Extensions.Logging;

namespace CodexRuntime.Automation.Tests.Persistence;

/// <summary>
/// The runner records every finished run in its store's run history (outcome, turn and thread ids), the history
/// survives a restart on the same store, its retention comes from the options, and a history that cannot be written
/// does not end the automation.
/// </summary>
public sealed class RunHistoryRunnerTests : ScriptedCodexOnStore
{
    private static readonly DateTimeOffset T = ScriptedCodex.Start;
    private static readonly AutomationSpec EveryTenSecondsThreeRuns = new() { Prompt = "check", Every = TimeSpan.FromSeconds(10), MaxRuns = 3 };

    [Fact]
    public async Task The_history_of_three_runs_across_a_restart_is_read_back_with_turn_and_thread_ids()
    {
        var first = await Codex.RunAsync(EveryTenSecondsThreeRuns, Store);
        await (await Codex.NextTurnAsync()).CompleteAsync();
        var run1 = await first.WaitForRunAsync(1);
        await first.DisposeAsync();   // the crash: no stop

        Codex.Clock.Advance(TimeSpan.FromSeconds(10));
        await using var second = await Codex.RunAsync(EveryTenSecondsThreeRuns, Store);
        await (await Codex.NextTurnAsync()).CompleteAsync();
        await second.WaitForRunAsync(1);
        Codex.Clock.Advance(TimeSpan.FromSeconds(10));
        await (await Codex.NextTurnAsync()).CompleteAsync();
        var run3 = await second.WaitForRunAsync(2);
        await second.EndedAsync();

        // Read as a restarted process would: a new store over the same folder.
        var history = await new JsonFileAutomationStateStore(Folder.FullName).ReadRunsAsync("test");
        var thread = Codex.Session.ThreadId;
        Assert.Equal(
            [(3, "turn-3", T.AddSeconds(20)), (2, "turn-2", T.AddSeconds(10)), (1, "turn-1", T)],
            history.Select(r => (r.Number, r.TurnId, r.DueAt)));
        Assert.All(history, r => Assert.Equal((AutomationRunOutcome.Completed, thread, "test", (string?)null), (r.Outcome, r.ThreadId, r.Automation, r.ErrorType)));
        Assert.Equal(AutomationRunRecord.From(run1), history[2]);
        Assert.Equal(AutomationRunRecord.From(run3), history[0]);
        Assert.Equal((AutomationRunOutcome.Completed, thread, "turn-1"), (run1.Outcome, run1.ThreadId, run1.TurnId));
        // The ended automation's handle reads the same history.
        Assert.Equal(history, await second.ReadHistoryAsync());
        Assert.Equal([history[1]], await second.ReadHistoryAsync(limit: 1, skip: 1));
    }

    [Fact]
    public async Task A_failed_run_is_recorded_with_its_turn_and_its_error_as_text()
    {
        await using var automation = await Codex.RunAsync(EveryTenSecondsThreeRuns, Store);
        await (await Codex.NextTurnAsync()).FailAsync("provider said no");
        var run = await automation.WaitForRunAsync(1);
        await automation.EndedAsync();

        var record = Assert.Single(await Store.ReadRunsAsync("test"));
        Assert.Equal((AutomationRunOutcome.Failed, "turn-1"), (run.Outcome, run.TurnId));
        Assert.Equal((AutomationRunOutcome.Failed, "turn-1", Codex.Session.ThreadId, nameof(CodexRunFailedException)), (record.Outcome, record.TurnId, record.ThreadId, record.ErrorType));
        Assert.Contains("provider said no", record.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_without_a_turn_is_recorded_without_a_turn_id()
    {
        await using var automation = await Codex.RunAsync(EveryTenSecondsThreeRuns, Store);
        await (await Codex.NextTurnAsync()).CompleteAsync();
        await automation.WaitForRunAsync(1);

        await Codex.Session.CloseAsync();
        Codex.Clock.Advance(TimeSpan.FromSeconds(10));
        var run = await automation.WaitForRunAsync(2);
        await automation.EndedAsync();

        var record = (await Store.ReadRunsAsync("test"))[0];
        Assert.Null(run.TurnId);
        Assert.Equal((2, AutomationRunOutcome.Failed, (string?)null, nameof(CodexSessionClosedException)), (record.Number, record.Outcome, record.TurnId, record.ErrorType));
    }

    [Fact]
    public async Task A_run_a_stop_interrupted_is_recorded_interrupted_and_its_retry_after_a_restart_completes_under_the_same_number()
    {
        Codex.QueueInterrupts();
        var first = await Codex.RunAsync(EveryTenSecondsThreeRuns, Store);
        var turn = await Codex.NextTurnAsync();
        var stopping = first.StopAsync();
        await (await Codex.Server.ReadRequestAsync("turn/interrupt")).RespondAsync(new JsonObject());
        await turn.InterruptedAsync();
        await stopping.WaitAsync(ScriptedCodex.Deadline);
        var interrupted = await first.WaitForRunAsync(1);
        await first.DisposeAsync();

        await using var second = await Codex.RunAsync(EveryTenSecondsThreeRuns, Store);
        await (await Codex.NextTurnAsync()).CompleteAsync();
        await second.WaitForRunAsync(1);

        Assert.Equal((AutomationRunOutcome.Interrupted, "turn-1"), (interrupted.Outcome, interrupted.TurnId));
        Assert.Equal(
            [(1, AutomationRunOutcome.Completed, "turn-2"), (1, AutomationRunOutcome.Interrupted, "turn-1")],
            (await Store.ReadRunsAsync("test")).Select(r => (r.Number, r.Outcome, r.TurnId)));
    }

    [Fact]
    public async Task The_history_keeps_as_many_runs_as_the_options_say()
    {
        var options = Codex.Options(Store);
        options.RunHistoryLimit = 2;
        await using var automation = await CodexAutomation.StartAsync(Codex.Session, EveryTenSecondsThreeRuns, options).WaitAsync(ScriptedCodex.Deadline);
        for (var run = 1; run <= 3; run++)
        {
            await (await Codex.NextTurnAsync()).CompleteAsync();
            await automation.WaitForRunAsync(run);
            Codex.Clock.Advance(TimeSpan.FromSeconds(10));
        }

        await automation.EndedAsync();
        Assert.Equal([3, 2], (await Store.ReadRunsAsync("test")).Select(r => r.Number));
    }

    [Fact]
    public async Task A_history_that_cannot_be_written_is_logged_and_the_automation_goes_on()
    {
        var log = new RecordingLogger();
        var options = Codex.Options(new UnwritableHistory(Store));
        options.LoggerFactory = log;
        await using var automation = await CodexAutomation.StartAsync(Codex.Session, EveryTenSecondsThreeRuns, options).WaitAsync(ScriptedCodex.Deadline);

        await (await Codex.NextTurnAsync()).CompleteAsync();
        var run = await automation.WaitForRunAsync(1);
        Codex.Clock.Advance(TimeSpan.FromSeconds(10));
        await (await Codex.NextTurnAsync()).CompleteAsync();
        await automation.WaitForRunAsync(2);

        Assert.True(run.Succeeded);
        Assert.Equal((AutomationState.Waiting, 2), (automation.Status.State, automation.Status.RunsCompleted));
        Assert.Equal(2, (await Store.LoadAsync("test"))!.RunsCompleted);
        Assert.Equal(2, log.Entries.Count(e => e.Id.Id == 170 && e.Level == LogLevel.Warning && e.Exception is IOException));
    }

    [Fact]
    public async Task Without_a_store_the_handle_says_that_nothing_is_persisted()
    {
        await using var automation = await Codex.RunAsync(EveryTenSecondsThreeRuns);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await automation.ReadHistoryAsync());

        Assert.Contains("AutomationOptions.StateStore", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await automation.ReadHistoryAsync(limit: 0));
    }

    [Fact]
    public void The_retention_options_refuse_values_that_keep_nothing_sensible()
    {
        var options = new AutomationOptions();

        Assert.Equal((1000, (TimeSpan?)null), (options.RunHistoryLimit, options.RunHistoryMaxAge));
        Assert.Throws<ArgumentOutOfRangeException>(() => options.RunHistoryLimit = -1);
        Assert.Throws<ArgumentOutOfRangeException>(() => options.RunHistoryMaxAge = TimeSpan.Zero);
        options.RunHistoryLimit = 0;
        options.RunHistoryMaxAge = TimeSpan.FromDays(30);
        Assert.Equal((0, TimeSpan.FromDays(30)), (options.RunHistoryLimit, options.RunHistoryMaxAge));
    }

    /// <summary>A store whose run history cannot be written (a full disk, a broken share); everything else works.</summary>
    private sealed class UnwritableHistory(IAutomationStateStore inner) : IAutomationStateStore
    {
        public ValueTask<AutomationCheckpoint?> LoadAsync(string name, CancellationToken cancellationToken = default) => inner.LoadAsync(name, cancellationToken);

        public ValueTask SaveAsync(AutomationCheckpoint checkpoint, CancellationToken cancellationToken = default) => inner.SaveAsync(checkpoint, cancellationToken);

        public ValueTask<IAsyncDisposable> AcquireAsync(string name, CancellationToken cancellationToken = default) => inner.AcquireAsync(name, cancellationToken);

        public ValueTask<IReadOnlyList<AutomationCheckpointEntry>> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);

        public ValueTask<bool> DeleteAsync(string name, CancellationToken cancellationToken = default) => inner.DeleteAsync(name, cancellationToken);

        public ValueTask AppendRunAsync(AutomationRunRecord record, int keep, TimeSpan? maxAge = null, CancellationToken cancellationToken = default) =>
            throw new IOException("No space left on device.");

        public ValueTask<IReadOnlyList<AutomationRunRecord>> ReadRunsAsync(string name, int limit = 100, int skip = 0, CancellationToken cancellationToken = default) =>
            inner.ReadRunsAsync(name, limit, skip, cancellationToken);
    }
}
