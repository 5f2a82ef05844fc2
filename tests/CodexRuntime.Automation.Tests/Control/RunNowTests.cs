using CodexRuntime.Automation.Tests.Support;

namespace CodexRuntime.Automation.Tests.Control;

/// <summary>Run-now: one extra run at once, counted, the schedule unchanged; queued behind a run in flight; kept by the store.</summary>
public sealed class RunNowTests : ScriptedCodexOnStore
{
    private static readonly DateTimeOffset T = ScriptedCodex.Start;
    private static readonly AutomationSpec Hourly = new() { Prompt = "check", Every = TimeSpan.FromHours(1) };

    [Fact]
    public async Task Run_now_is_one_extra_counted_run_and_the_due_times_after_it_are_unchanged()
    {
        await using var automation = await Codex.RunAsync(Hourly, Store);
        await (await Codex.NextTurnAsync()).CompleteAsync();
        await automation.WaitForRunAsync(1);
        var before = Hourly.NextDueTimes(automation.Status.NextDueAt!.Value, 3, automation.Status.RunsCompleted);

        Codex.Clock.Advance(TimeSpan.FromMinutes(5));
        await automation.RunNowAsync();
        await (await Codex.NextTurnAsync()).CompleteAsync();
        var extra = await automation.WaitForRunAsync(2);

        Assert.Equal((2, T.AddMinutes(5), T.AddMinutes(5)), (extra.Number, extra.DueAt, extra.StartedAt));
        Assert.True(extra.Succeeded);
        Assert.Equal(2, automation.Status.RunsCompleted);
        Assert.Equal(T.AddHours(1), automation.Status.NextDueAt);
        Assert.Null(automation.Status.RunNowRequestedAt);
        Assert.Equal(before, Hourly.NextDueTimes(automation.Status.NextDueAt!.Value, 3, 0));
        Assert.Equal([T.AddHours(1), T.AddHours(2), T.AddHours(3)], before);

        // The schedule runs on as before: the next run is the 1 h point.
        Codex.Clock.Advance(TimeSpan.FromMinutes(55));
        await (await Codex.NextTurnAsync()).CompleteAsync();
        var scheduled = await automation.WaitForRunAsync(3);
        Assert.Equal((3, T.AddHours(1), T.AddHours(1)), (scheduled.Number, scheduled.DueAt, scheduled.StartedAt));
        Assert.Equal(3, Codex.TurnStarts);
        Assert.Equal(T.AddHours(2), automation.Status.NextDueAt);
    }

    [Fact]
    public async Task Run_now_counts_toward_max_runs()
    {
        await using var automation = await Codex.RunAsync(Hourly with { MaxRuns = 2 }, Store);
        await (await Codex.NextTurnAsync()).CompleteAsync();
        await automation.WaitForRunAsync(1);

        await automation.RunNowAsync();
        await (await Codex.NextTurnAsync()).CompleteAsync();
        var status = await automation.EndedAsync();

        Assert.Equal((AutomationState.Stopped, 2), (status.State, status.RunsCompleted));
        Assert.Equal(2, Codex.TurnStarts);
    }

    [Fact]
    public async Task Run_now_during_a_run_is_queued_and_starts_when_it_ends()
    {
        await using var automation = await Codex.RunAsync(Hourly, Store);
        var inFlight = await Codex.NextTurnAsync();

        Codex.Clock.Advance(TimeSpan.FromMinutes(1));
        await automation.RunNowAsync();
        Assert.Equal(T.AddMinutes(1), automation.Status.RunNowRequestedAt);
        // One at a time: a second request while this one is queued is refused, saying why.
        var twice = await Assert.ThrowsAsync<InvalidOperationException>(() => automation.RunNowAsync());
        Assert.Contains("already has a run-now queued or in flight", twice.Message, StringComparison.Ordinal);

        Codex.Clock.Advance(TimeSpan.FromMinutes(1));
        await inFlight.CompleteAsync();
        await (await Codex.NextTurnAsync()).CompleteAsync();
        var runs = await automation.WaitForRunsAsync(2);

        Assert.Equal([T, T.AddMinutes(1)], runs.Select(r => r.DueAt));
        // Queued a minute, started when the scheduled run ended.
        Assert.Equal(T.AddMinutes(2), runs[1].StartedAt);
        Assert.Equal((2, T.AddHours(1)), (automation.Status.RunsCompleted, automation.Status.NextDueAt));
    }

    [Fact]
    public async Task Run_now_while_paused_is_refused()
    {
        await using var automation = await Codex.RunAsync(Hourly with { StartAt = T.AddHours(1) }, Store);
        await automation.PauseAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => automation.RunNowAsync());

        Assert.Contains("paused", error.Message, StringComparison.Ordinal);
        Assert.Contains("ResumeAsync", error.Message, StringComparison.Ordinal);
        Assert.Null(automation.Status.RunNowRequestedAt);
        Assert.Null((await Store.LoadAsync("test"))!.RunNowAt);
    }

    [Fact]
    public async Task A_queued_run_now_is_owed_after_a_restart()
    {
        var first = await Codex.RunAsync(Hourly, Store);
        var inFlight = await Codex.NextTurnAsync();
        Codex.Clock.Advance(TimeSpan.FromMinutes(2));
        await first.RunNowAsync();
        Assert.Equal(T.AddMinutes(2), (await Store.LoadAsync("test"))!.RunNowAt);
        // A crash mid-run, the run-now queued (the abandoned turn is ended so the let-go need not wait for it).
        var crashing = first.DisposeAsync();
        await inFlight.InterruptedAsync();
        await crashing.AsTask().WaitAsync(ScriptedCodex.Deadline);

        Codex.Clock.Advance(TimeSpan.FromMinutes(1));
        await using var second = await Codex.RunAsync(Hourly, Store);
        // Both are owed: the run-now first (at once), then the interrupted scheduled run (due at T, past: at once).
        await (await Codex.NextTurnAsync()).CompleteAsync();
        await (await Codex.NextTurnAsync()).CompleteAsync();
        var runs = await second.WaitForRunsAsync(2);

        Assert.Equal([T.AddMinutes(2), T], runs.Select(r => r.DueAt));
        Assert.Equal([1, 2], runs.Select(r => r.Number));
        Assert.Equal((2, T.AddHours(1)), (second.Status.RunsCompleted, second.Status.NextDueAt));
        Assert.Null((await Store.LoadAsync("test"))!.RunNowAt);
    }
}
