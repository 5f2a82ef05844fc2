using CodexRuntime.Automation.Tests.Support;

namespace CodexRuntime.Automation.Tests.Control;

/// <summary>
/// Pause and resume on the fake clock and a JSON store: a pause holds across a restart, a run in flight finishes, the
/// resume applies the missed-run policy to the point that passed meanwhile.
/// </summary>
public sealed class PauseResumeTests : ScriptedCodexOnStore
{
    private static readonly DateTimeOffset T = ScriptedCodex.Start;
    private static readonly AutomationSpec EveryTenSeconds = new() { Prompt = "check", Every = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task A_pause_holds_across_a_restart_and_no_run_starts_until_resumed()
    {
        var first = await Codex.RunAsync(EveryTenSeconds, Store);
        await (await Codex.NextTurnAsync()).CompleteAsync();
        await first.WaitForRunAsync(1);
        await first.PauseAsync();
        Assert.Equal((AutomationState.Paused, true, T.AddSeconds(10)), (first.Status.State, first.Status.IsPaused, first.Status.NextDueAt));
        Assert.True((await Store.LoadAsync("test"))!.Paused);
        await first.DisposeAsync();   // a crash: the pause was saved when PauseAsync returned

        // Down while 10, 20 and 30 s came due; started again at 35 s on the same store.
        Codex.Clock.Advance(TimeSpan.FromSeconds(35));
        await using var second = await Codex.RunAsync(EveryTenSeconds, Store);
        Assert.Equal((AutomationState.Paused, true, T.AddSeconds(10), 1), (second.Status.State, second.Status.IsPaused, second.Status.NextDueAt, second.Status.RunsCompleted));
        Codex.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(AutomationState.Paused, second.Status.State);

        await second.ResumeAsync();
        // The default policy (the seed's): the point that passed while paused runs once, at once.
        var turn = await Codex.NextTurnAsync();
        await turn.CompleteAsync();
        var run = await second.WaitForRunAsync(1);

        // The first turn after the resume is the owed run: nothing ran while paused.
        Assert.Equal((2, T.AddSeconds(10), T.AddSeconds(35).AddMinutes(10)), (run.Number, run.DueAt, run.StartedAt));
        Assert.Equal(2, Codex.TurnStarts);
        Assert.False(second.Status.IsPaused);
        // Then the grid goes on (anchored at the first run): the point after 10 min 35 s.
        Assert.Equal(T.AddMinutes(10).AddSeconds(40), second.Status.NextDueAt);
        Assert.False((await Store.LoadAsync("test"))!.Paused);
    }

    [Fact]
    public async Task A_pause_lets_the_run_in_flight_finish_then_no_further_run_starts()
    {
        await using var automation = await Codex.RunAsync(EveryTenSeconds, Store);
        var inFlight = await Codex.NextTurnAsync();

        await automation.PauseAsync();
        // Still running, the pause recorded (and saved) for when the run ends.
        Assert.Equal((AutomationState.Running, true), (automation.Status.State, automation.Status.IsPaused));
        Assert.True((await Store.LoadAsync("test"))!.Paused);
        Codex.Clock.Advance(TimeSpan.FromSeconds(4));
        await inFlight.CompleteAsync();
        var run1 = await automation.WaitForRunAsync(1);

        Assert.True(run1.Succeeded);
        Assert.Equal((AutomationState.Paused, 1, T.AddSeconds(10)), (automation.Status.State, automation.Status.RunsCompleted, automation.Status.NextDueAt));

        // The due point comes while paused; the resume is at that very moment, so the point is on time.
        Codex.Clock.Advance(TimeSpan.FromSeconds(6));
        await automation.ResumeAsync();
        await (await Codex.NextTurnAsync()).CompleteAsync();
        var run2 = await automation.WaitForRunAsync(2);

        Assert.Equal((2, T.AddSeconds(10), T.AddSeconds(10)), (run2.Number, run2.DueAt, run2.StartedAt));
        Assert.Equal(2, Codex.TurnStarts);
    }

    [Fact]
    public async Task Pausing_twice_and_resuming_an_automation_that_is_not_paused_change_nothing()
    {
        await using var automation = await Codex.RunAsync(EveryTenSeconds with { StartAt = T.AddMinutes(1) }, Store);

        await automation.ResumeAsync();
        Assert.Equal((AutomationState.Waiting, false), (automation.Status.State, automation.Status.IsPaused));
        await automation.PauseAsync();
        await automation.PauseAsync();
        Assert.Equal((AutomationState.Paused, T.AddMinutes(1)), (automation.Status.State, automation.Status.NextDueAt));
        await automation.ResumeAsync();

        Codex.Clock.Advance(TimeSpan.FromMinutes(1));
        await (await Codex.NextTurnAsync()).CompleteAsync();
        var run = await automation.WaitForRunAsync(1);
        Assert.Equal((T.AddMinutes(1), T.AddMinutes(1)), (run.DueAt, run.StartedAt));
    }

    [Fact]
    public async Task A_paused_automation_stops_when_stopped_or_when_stop_at_passes()
    {
        await using var stopped = await Codex.RunAsync(EveryTenSeconds with { StartAt = T.AddMinutes(1) }, Store, "stopped");
        await stopped.PauseAsync();
        await stopped.StopAsync().WaitAsync(ScriptedCodex.Deadline);
        Assert.Equal(AutomationState.Stopped, (await stopped.EndedAsync()).State);

        await using var bounded = await Codex.RunAsync(EveryTenSeconds with { StartAt = T.AddMinutes(1), StopAt = T.AddMinutes(2) }, Store, "bounded");
        await bounded.PauseAsync();
        Codex.Clock.Advance(TimeSpan.FromMinutes(2));
        var status = await bounded.EndedAsync();

        Assert.Equal((AutomationState.Stopped, 0), (status.State, status.RunsCompleted));
        Assert.Equal(0, Codex.TurnStarts);
    }

    [Fact]
    public async Task Controlling_an_ended_automation_is_an_error_naming_it()
    {
        await using var automation = await Codex.RunAsync(EveryTenSeconds with { MaxRuns = 0 }, Store, "done");
        await automation.EndedAsync();

        var pause = await Assert.ThrowsAsync<InvalidOperationException>(() => automation.PauseAsync());
        var resume = await Assert.ThrowsAsync<InvalidOperationException>(() => automation.ResumeAsync());
        var runNow = await Assert.ThrowsAsync<InvalidOperationException>(() => automation.RunNowAsync());
        var skip = await Assert.ThrowsAsync<InvalidOperationException>(() => automation.SkipNextAsync());

        Assert.All([pause, resume, runNow, skip], e => Assert.Contains("'done' has ended (Stopped)", e.Message, StringComparison.Ordinal));
        Assert.False(await automation.CancelRunAsync());
    }
}
