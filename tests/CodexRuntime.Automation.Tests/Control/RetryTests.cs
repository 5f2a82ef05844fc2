using CodexRuntime.Automation.Tests.Support;

namespace CodexRuntime.Automation.Tests.Control;

/// <summary>
/// The retry policy on the fake clock: attempts at the same point with backoff (the turns the scripted codex received
/// and their times), the last failure ends the automation Failed, and a restart keeps the attempts and the retry time.
/// </summary>
public sealed class RetryTests : ScriptedCodexOnStore
{
    private static readonly DateTimeOffset T = ScriptedCodex.Start;
    private static readonly AutomationSpec HourlyWithRetry = new()
    {
        Prompt = "check",
        Every = TimeSpan.FromHours(1),
        Retry = new AutomationRetryPolicy { MaxAttempts = 4, Delay = TimeSpan.FromSeconds(10), BackoffFactor = 2, MaxDelay = TimeSpan.FromSeconds(30) },
    };

    [Fact]
    public async Task A_failed_run_is_retried_with_backoff_at_the_same_point_and_the_last_failure_ends_it_failed()
    {
        await using var automation = await Codex.RunAsync(HourlyWithRetry, Store);
        var starts = new List<DateTimeOffset>();

        await (await Codex.NextTurnAsync()).FailAsync();
        starts.Add((await automation.WaitForRunAsync(1)).StartedAt);
        // Waits of 10, 20, then 30 s (40 capped by MaxDelay), each after the failed attempt ended.
        foreach (var (attempt, wait) in new[] { (2, 10), (3, 20), (4, 30) })
        {
            Assert.Equal((AutomationState.Waiting, attempt - 1, Codex.Clock.GetUtcNow().AddSeconds(wait)), (automation.Status.State, automation.Status.FailedAttempts, automation.Status.RetryAt!.Value));
            Assert.Equal(T, automation.Status.NextDueAt);
            Codex.Clock.Advance(TimeSpan.FromSeconds(wait));
            await (await Codex.NextTurnAsync()).FailAsync();
            starts.Add((await automation.WaitForRunAsync(attempt)).StartedAt);
        }

        var status = await automation.EndedAsync();
        var runs = await automation.WaitForRunsAsync(4);
        Assert.Equal([T, T.AddSeconds(10), T.AddSeconds(30), T.AddSeconds(60)], starts);
        Assert.All(runs, r => Assert.Equal((1, T), (r.Number, r.DueAt)));
        Assert.Equal(4, Codex.TurnStarts);
        Assert.Equal(AutomationState.Failed, status.State);
        Assert.StartsWith("Run 1 failed (attempt 4 of 4): CodexRunFailedException", status.LastError, StringComparison.Ordinal);
        Assert.Equal(0, status.RunsCompleted);
    }

    [Fact]
    public async Task A_retry_that_succeeds_counts_once_and_the_schedule_goes_on_from_the_point()
    {
        await using var automation = await Codex.RunAsync(HourlyWithRetry, Store);
        await (await Codex.NextTurnAsync()).FailAsync();
        await automation.WaitForRunAsync(1);

        Codex.Clock.Advance(TimeSpan.FromSeconds(10));
        await (await Codex.NextTurnAsync()).CompleteAsync();
        var retried = await automation.WaitForRunAsync(2);

        Assert.Equal((1, T, T.AddSeconds(10), true), (retried.Number, retried.DueAt, retried.StartedAt, retried.Succeeded));
        var status = automation.Status;
        Assert.Equal((AutomationState.Waiting, 1, 0, (DateTimeOffset?)null, T.AddHours(1)), (status.State, status.RunsCompleted, status.FailedAttempts, status.RetryAt, status.NextDueAt));
    }

    [Fact]
    public async Task A_restart_keeps_the_attempts_and_the_retry_time()
    {
        var spec = HourlyWithRetry with { Retry = HourlyWithRetry.Retry! with { MaxAttempts = 2 } };
        var first = await Codex.RunAsync(spec, Store);
        await (await Codex.NextTurnAsync()).FailAsync();
        await first.WaitForRunAsync(1);
        var kept = await Store.LoadAsync("test");
        Assert.Equal((1, T.AddSeconds(10), T), (kept!.FailedAttempts, kept.RetryAt, kept.NextDueAt));
        await first.DisposeAsync();

        Codex.Clock.Advance(TimeSpan.FromSeconds(4));
        await using var second = await Codex.RunAsync(spec, Store);
        // Not retried early at the restart: it waits for the stored retry time.
        Assert.Equal((AutomationState.Waiting, 1, T.AddSeconds(10)), (second.Status.State, second.Status.FailedAttempts, second.Status.RetryAt!.Value));
        Codex.Clock.Advance(TimeSpan.FromSeconds(6));
        await (await Codex.NextTurnAsync()).FailAsync();
        var status = await second.EndedAsync();

        // The restart did not reset the count: this was attempt 2 of 2.
        Assert.Equal(AutomationState.Failed, status.State);
        Assert.StartsWith("Run 1 failed (attempt 2 of 2)", status.LastError, StringComparison.Ordinal);
        Assert.Equal(2, Codex.TurnStarts);
        Assert.Equal(T.AddSeconds(10), (await second.WaitForRunAsync(1)).StartedAt);
    }

    [Fact]
    public async Task A_retry_a_stop_interrupted_is_still_a_retry_after_the_restart()
    {
        var spec = HourlyWithRetry with { Retry = HourlyWithRetry.Retry! with { MaxAttempts = 2 }, MissedRuns = MissedRunPolicy.Skip };
        var first = await Codex.RunAsync(spec, Store);
        await (await Codex.NextTurnAsync()).FailAsync();
        await first.WaitForRunAsync(1);
        Codex.Clock.Advance(TimeSpan.FromSeconds(10));
        var retry = await Codex.NextTurnAsync();
        var stopping = first.StopAsync();
        await retry.InterruptedAsync();
        await stopping.WaitAsync(ScriptedCodex.Deadline);
        await first.DisposeAsync();

        await using var second = await Codex.RunAsync(spec, Store);
        // The interrupted attempt did not fail and is owed at once as the retry (Skip does not pass it over).
        Assert.Equal(1, second.Status.FailedAttempts);
        await (await Codex.NextTurnAsync()).FailAsync();
        var status = await second.EndedAsync();

        Assert.StartsWith("Run 1 failed (attempt 2 of 2)", status.LastError, StringComparison.Ordinal);
        Assert.Equal(3, Codex.TurnStarts);
    }

    [Fact]
    public async Task Run_now_while_a_retry_waits_brings_the_retry_forward()
    {
        await using var automation = await Codex.RunAsync(HourlyWithRetry, Store);
        await (await Codex.NextTurnAsync()).FailAsync();
        await automation.WaitForRunAsync(1);

        Codex.Clock.Advance(TimeSpan.FromSeconds(2));
        await automation.RunNowAsync();
        await (await Codex.NextTurnAsync()).CompleteAsync();
        var retried = await automation.WaitForRunAsync(2);

        Assert.Equal((1, T, T.AddSeconds(2)), (retried.Number, retried.DueAt, retried.StartedAt));
        Assert.Equal((1, T.AddHours(1), (DateTimeOffset?)null), (automation.Status.RunsCompleted, automation.Status.NextDueAt, automation.Status.RunNowRequestedAt));
        Assert.Equal(2, Codex.TurnStarts);
    }

    [Fact]
    public async Task Without_a_policy_a_failed_run_still_ends_the_automation()
    {
        await using var automation = await Codex.RunAsync(HourlyWithRetry with { Retry = null }, Store);
        await (await Codex.NextTurnAsync()).FailAsync();

        var status = await automation.EndedAsync();

        Assert.Equal(AutomationState.Failed, status.State);
        Assert.StartsWith("Run 1 failed: CodexRunFailedException", status.LastError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 10, 2.0, null, "MaxAttempts")]
    [InlineData(3, -1, 2.0, null, "Delay")]
    [InlineData(3, 10, 0.5, null, "BackoffFactor")]
    [InlineData(3, 10, double.NaN, null, "BackoffFactor")]
    [InlineData(3, 10, 2.0, 5, "MaxDelay")]
    public async Task A_policy_that_cannot_work_is_refused_at_start_naming_the_member(int attempts, int delaySeconds, double factor, int? maxDelaySeconds, string member)
    {
        var retry = new AutomationRetryPolicy
        {
            MaxAttempts = attempts,
            Delay = TimeSpan.FromSeconds(delaySeconds),
            BackoffFactor = factor,
            MaxDelay = maxDelaySeconds is { } max ? TimeSpan.FromSeconds(max) : null,
        };

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Codex.RunAsync(HourlyWithRetry with { Retry = retry }, Store));

        Assert.Equal(member, error.ParamName);
        Assert.Contains($"AutomationRetryPolicy.{member}", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, Codex.TurnStarts);
    }
}
