using System.Text.Json.Nodes;
using CodexRuntime.Automation.Tests.Support;

namespace CodexRuntime.Automation.Tests.Control;

/// <summary>Skip-next (durable, moves the next due time one point) and cancel-in-flight (interrupts the turn, the automation goes on).</summary>
public sealed class SkipAndCancelTests : ScriptedCodexOnStore
{
    private static readonly DateTimeOffset T = ScriptedCodex.Start;
    private static readonly AutomationSpec EveryTenSeconds = new() { Prompt = "check", Every = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Skip_next_moves_the_next_due_time_to_the_following_point_and_holds_across_a_restart()
    {
        var first = await Codex.RunAsync(EveryTenSeconds, Store);
        await (await Codex.NextTurnAsync()).CompleteAsync();
        await first.WaitForRunAsync(1);

        await first.SkipNextAsync();
        Assert.Equal(T.AddSeconds(20), first.Status.NextDueAt);
        Assert.Equal(T.AddSeconds(20), (await Store.LoadAsync("test"))!.NextDueAt);
        await first.DisposeAsync();

        Codex.Clock.Advance(TimeSpan.FromSeconds(12));
        await using var second = await Codex.RunAsync(EveryTenSeconds, Store);
        // 10 s passed while down, but it was skipped: nothing is owed until 20 s.
        Assert.Equal((AutomationState.Waiting, T.AddSeconds(20)), (second.Status.State, second.Status.NextDueAt));
        Codex.Clock.Advance(TimeSpan.FromSeconds(8));
        await (await Codex.NextTurnAsync()).CompleteAsync();
        var run = await second.WaitForRunAsync(1);

        Assert.Equal((2, T.AddSeconds(20), T.AddSeconds(20)), (run.Number, run.DueAt, run.StartedAt));
        Assert.Equal(2, Codex.TurnStarts);
    }

    [Fact]
    public async Task Skip_next_during_a_run_skips_the_point_after_it_and_twice_skips_two()
    {
        await using var automation = await Codex.RunAsync(EveryTenSeconds, Store);
        var inFlight = await Codex.NextTurnAsync();

        await automation.SkipNextAsync();
        await automation.SkipNextAsync();
        Assert.Equal(2, (await Store.LoadAsync("test"))!.SkipsPending);
        Assert.Equal(T, automation.Status.NextDueAt);   // the run in flight's point until it ends
        await inFlight.CompleteAsync();
        await automation.WaitForRunAsync(1);

        // 10 and 20 s skipped.
        Assert.Equal(T.AddSeconds(30), automation.Status.NextDueAt);
        Assert.Equal(0, (await Store.LoadAsync("test"))!.SkipsPending);
        Codex.Clock.Advance(TimeSpan.FromSeconds(30));
        await (await Codex.NextTurnAsync()).CompleteAsync();
        Assert.Equal(T.AddSeconds(30), (await automation.WaitForRunAsync(2)).DueAt);
    }

    [Fact]
    public async Task Skip_next_past_stop_at_ends_the_automation()
    {
        await using var automation = await Codex.RunAsync(EveryTenSeconds with { StartAt = T.AddSeconds(10), StopAt = T.AddSeconds(15) }, Store);

        await automation.SkipNextAsync();
        var status = await automation.EndedAsync();

        Assert.Equal((AutomationState.Stopped, 0), (status.State, status.RunsCompleted));
        Assert.Equal(0, Codex.TurnStarts);
    }

    [Fact]
    public async Task Cancel_interrupts_the_turn_the_run_is_not_counted_and_the_next_point_still_runs()
    {
        Codex.QueueInterrupts();
        await using var automation = await Codex.RunAsync(EveryTenSeconds, Store);
        var turn = await Codex.NextTurnAsync();

        var cancelling = automation.CancelRunAsync();
        var interrupt = await Codex.Server.ReadRequestAsync("turn/interrupt");
        Assert.Equal((turn.ThreadId, turn.TurnId), ((string?)interrupt.Params?["threadId"], (string?)interrupt.Params?["turnId"]));
        await interrupt.RespondAsync(new JsonObject());
        Codex.Clock.Advance(TimeSpan.FromSeconds(3));
        await turn.InterruptedAsync();
        Assert.True(await cancelling.WaitAsync(ScriptedCodex.Deadline));

        var cancelled = await automation.WaitForRunAsync(1);
        Assert.IsType<CodexRunInterruptedException>(cancelled.Error);
        Assert.Equal((AutomationRunOutcome.Cancelled, turn.TurnId), (cancelled.Outcome, cancelled.TurnId));
        // The history keeps the outcome: a cancelled run is neither a failure nor owed.
        var recorded = Assert.Single(await automation.ReadHistoryAsync());
        Assert.Equal((AutomationRunOutcome.Cancelled, turn.TurnId), (recorded.Outcome, recorded.TurnId));
        var status = automation.Status;
        // Not counted, not a failure: still waiting, for the next point.
        Assert.Equal((AutomationState.Waiting, 0, T.AddSeconds(10)), (status.State, status.RunsCompleted, status.NextDueAt));
        Assert.Null(status.LastError);
        Assert.Equal(T.AddSeconds(10), (await Store.LoadAsync("test"))!.NextDueAt);

        Codex.Clock.Advance(TimeSpan.FromSeconds(7));
        await (await Codex.NextTurnAsync()).CompleteAsync();
        var next = await automation.WaitForRunAsync(2);
        Assert.Equal((1, T.AddSeconds(10), true), (next.Number, next.DueAt, next.Succeeded));
        Assert.Equal(1, automation.Status.RunsCompleted);
    }

    [Fact]
    public async Task Cancel_of_a_run_that_would_be_retried_is_no_failure_and_no_retry()
    {
        await using var automation = await Codex.RunAsync(EveryTenSeconds with { Retry = new AutomationRetryPolicy { MaxAttempts = 1 } }, Store);
        var turn = await Codex.NextTurnAsync();

        var cancelling = automation.CancelRunAsync();
        await turn.InterruptedAsync();
        Assert.True(await cancelling.WaitAsync(ScriptedCodex.Deadline));

        // MaxAttempts 1 would end the automation on a failure; a cancel is not one.
        Assert.Equal((AutomationState.Waiting, 0, (DateTimeOffset?)null), (automation.Status.State, automation.Status.FailedAttempts, automation.Status.RetryAt));
    }

    [Fact]
    public async Task Cancel_without_a_run_in_flight_returns_false_and_changes_nothing()
    {
        await using var automation = await Codex.RunAsync(EveryTenSeconds with { StartAt = T.AddMinutes(1) }, Store);

        Assert.False(await automation.CancelRunAsync());

        Assert.Equal((AutomationState.Waiting, T.AddMinutes(1)), (automation.Status.State, automation.Status.NextDueAt));
    }
}
