using CodexRuntime.Automation.Tests.Support;

namespace CodexRuntime.Automation.Tests.Persistence;

/// <summary>
/// A runner disposed without a stop (a crash) and started again on the same <see cref="JsonFileAutomationStateStore"/>:
/// no due run skipped, none doubled, counted from the turns the session received.
/// </summary>
public sealed class RestartTests : ScriptedCodexOnStore
{
    private static readonly DateTimeOffset T = ScriptedCodex.Start;
    private static readonly AutomationSpec EveryTenSecondsThreeRuns = new() { Prompt = "check", Every = TimeSpan.FromSeconds(10), MaxRuns = 3 };

    [Fact]
    public async Task A_crash_between_ticks_neither_repeats_the_finished_run_nor_skips_the_next()
    {
        var first = await Codex.RunAsync(EveryTenSecondsThreeRuns, Store);
        await (await Codex.NextTurnAsync()).CompleteAsync();
        await first.WaitForRunAsync(1);
        Codex.Clock.Advance(TimeSpan.FromSeconds(3));
        await first.DisposeAsync();   // the crash: no stop, nothing more written

        var kept = await Store.LoadAsync("test");
        Assert.NotNull(kept);
        Assert.Equal(1, kept.RunsCompleted);
        Assert.Equal(T.AddSeconds(10), kept.NextDueAt);
        Assert.Equal(Codex.Session.ThreadId, kept.ThreadId);

        Codex.Clock.Advance(TimeSpan.FromSeconds(4));
        await using var second = await Codex.RunAsync(EveryTenSecondsThreeRuns, Store);
        // Back at 7 s: the finished run is not repeated, the next one waits for its time.
        Assert.Equal(AutomationState.Waiting, second.Status.State);
        Assert.Equal(1, second.Status.RunsCompleted);
        Assert.Equal(T.AddSeconds(10), second.Status.NextDueAt);
        Assert.Equal(1, Codex.TurnStarts);

        Codex.Clock.Advance(TimeSpan.FromSeconds(3));
        await (await Codex.NextTurnAsync()).CompleteAsync();
        var run2 = await second.WaitForRunAsync(1);
        Codex.Clock.Advance(TimeSpan.FromSeconds(10));
        await (await Codex.NextTurnAsync()).CompleteAsync();
        var run3 = await second.WaitForRunAsync(2);
        var status = await second.EndedAsync();

        Assert.Equal((2, T.AddSeconds(10), T.AddSeconds(10)), (run2.Number, run2.DueAt, run2.StartedAt));
        Assert.Equal((3, T.AddSeconds(20)), (run3.Number, run3.StartedAt));
        Assert.Equal(AutomationState.Stopped, status.State);
        Assert.Equal(3, status.RunsCompleted);
        Assert.Equal(3, Codex.TurnStarts);
        Assert.Equal(3, (await Store.LoadAsync("test"))!.RunsCompleted);
    }

    [Fact]
    public async Task A_run_that_came_due_while_down_runs_once_however_many_ticks_passed()
    {
        var first = await Codex.RunAsync(EveryTenSecondsThreeRuns, Store);
        await (await Codex.NextTurnAsync()).CompleteAsync();
        await first.WaitForRunAsync(1);
        Codex.Clock.Advance(TimeSpan.FromSeconds(3));
        await first.DisposeAsync();

        // Down while 10, 20 and 30 s came due.
        Codex.Clock.Advance(TimeSpan.FromSeconds(32));
        await using var second = await Codex.RunAsync(EveryTenSecondsThreeRuns, Store);
        await (await Codex.NextTurnAsync()).CompleteAsync();
        var owed = await second.WaitForRunAsync(1);

        Assert.Equal(T.AddSeconds(10), owed.DueAt);
        Assert.Equal(T.AddSeconds(35), owed.StartedAt);
        Assert.Equal(2, owed.Number);
        // One run for the three missed ticks; the schedule goes on from its grid.
        Assert.Equal(2, Codex.TurnStarts);
        Assert.Equal(T.AddSeconds(40), second.Status.NextDueAt);

        Codex.Clock.Advance(TimeSpan.FromSeconds(5));
        await (await Codex.NextTurnAsync()).CompleteAsync();
        var status = await second.EndedAsync();
        Assert.Equal(AutomationState.Stopped, status.State);
        Assert.Equal(3, status.RunsCompleted);
        Assert.Equal(3, Codex.TurnStarts);

        // MaxRuns holds across restarts: a third start on the same store runs nothing.
        Codex.Clock.Advance(TimeSpan.FromMinutes(5));
        await using var third = await Codex.RunAsync(EveryTenSecondsThreeRuns, Store);
        Assert.Equal(AutomationState.Stopped, (await third.EndedAsync()).State);
        Assert.Equal(3, third.Status.RunsCompleted);
        Assert.Equal(3, Codex.TurnStarts);
    }

    [Fact]
    public async Task A_run_a_stop_interrupted_is_owed_and_runs_once_after_the_restart()
    {
        var first = await Codex.RunAsync(EveryTenSecondsThreeRuns, Store);
        await (await Codex.NextTurnAsync()).CompleteAsync();
        await first.WaitForRunAsync(1);
        Codex.Clock.Advance(TimeSpan.FromSeconds(10));
        var inFlight = await Codex.NextTurnAsync();
        var stopping = first.StopAsync();
        await inFlight.InterruptedAsync();
        await stopping.WaitAsync(ScriptedCodex.Deadline);
        await first.DisposeAsync();
        Assert.Equal(T.AddSeconds(10), (await Store.LoadAsync("test"))!.NextDueAt);

        Codex.Clock.Advance(TimeSpan.FromSeconds(2));
        await using var second = await Codex.RunAsync(EveryTenSecondsThreeRuns, Store);
        await (await Codex.NextTurnAsync()).CompleteAsync();
        var rerun = await second.WaitForRunAsync(1);

        Assert.Equal((2, T.AddSeconds(10), T.AddSeconds(12)), (rerun.Number, rerun.DueAt, rerun.StartedAt));
        Assert.Equal(2, second.Status.RunsCompleted);
        Assert.Equal(T.AddSeconds(20), second.Status.NextDueAt);
        Assert.Equal(3, Codex.TurnStarts);
    }

    [Fact]
    public async Task A_stopped_automation_continues_its_schedule_when_started_again()
    {
        var first = await Codex.RunAsync(EveryTenSecondsThreeRuns, Store);
        await (await Codex.NextTurnAsync()).CompleteAsync();
        await first.WaitForRunAsync(1);
        await first.StopAsync().WaitAsync(ScriptedCodex.Deadline);
        await first.DisposeAsync();
        var stopped = await Store.LoadAsync("test");
        Assert.Equal(AutomationState.Stopped, stopped!.State);

        await using var second = await Codex.RunAsync(EveryTenSecondsThreeRuns, Store);

        Assert.Equal(AutomationState.Waiting, second.Status.State);
        Assert.Equal(T.AddSeconds(10), second.Status.NextDueAt);
        Assert.Equal(1, second.Status.RunsCompleted);
    }

    [Fact]
    public async Task An_automation_that_failed_before_its_first_run_starts_afresh_once_its_spec_is_fixed()
    {
        await using (var broken = await Codex.RunAsync(new AutomationSpec { Prompt = "check", Every = TimeSpan.Zero }, Store))
        {
            Assert.Equal(AutomationState.Failed, (await broken.EndedAsync()).State);
        }

        await using var fixedOne = await Codex.RunAsync(EveryTenSecondsThreeRuns, Store);
        await (await Codex.NextTurnAsync()).CompleteAsync();
        var run = await fixedOne.WaitForRunAsync(1);

        Assert.Equal((1, T), (run.Number, run.DueAt));
        Assert.Null(fixedOne.Status.LastError);
        Assert.Equal(T.AddSeconds(10), fixedOne.Status.NextDueAt);
    }
}
