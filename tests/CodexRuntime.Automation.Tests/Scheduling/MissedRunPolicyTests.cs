using CodexRuntime.Automation.Tests.Support;

namespace CodexRuntime.Automation.Tests.Scheduling;

/// <summary>
/// Each <see cref="MissedRunPolicy"/> on the fake clock, for the three ways points are missed: a run that overran
/// them, a restart with a past due time, a resume after a pause.
/// </summary>
public sealed class MissedRunPolicyTests : ScriptedCodexOnStore
{
    private static readonly DateTimeOffset T = ScriptedCodex.Start;
    private static readonly AutomationSpec EveryTenSeconds = new() { Prompt = "check", Every = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Run_once_is_the_default_one_run_at_once_after_a_restart()
    {
        Assert.Equal(MissedRunPolicy.RunOnce, EveryTenSeconds.MissedRuns);
        await CrashAfterTheFirstRunAndRestartAt35Async(EveryTenSeconds);

        await using var second = Codex.Last!;
        await (await Codex.NextTurnAsync()).CompleteAsync();
        var owed = await second.WaitForRunAsync(1);

        Assert.Equal((T.AddSeconds(10), T.AddSeconds(35)), (owed.DueAt, owed.StartedAt));
        Assert.Equal(T.AddSeconds(40), second.Status.NextDueAt);
    }

    [Fact]
    public async Task Skip_after_a_restart_runs_nothing_and_goes_on_at_the_next_point()
    {
        var spec = EveryTenSeconds with { MissedRuns = MissedRunPolicy.Skip };
        await CrashAfterTheFirstRunAndRestartAt35Async(spec);

        await using var second = Codex.Last!;
        Assert.Equal((AutomationState.Waiting, T.AddSeconds(40)), (second.Status.State, second.Status.NextDueAt));
        Codex.Clock.Advance(TimeSpan.FromSeconds(5));
        await (await Codex.NextTurnAsync()).CompleteAsync();
        var run = await second.WaitForRunAsync(1);

        // The first turn after the restart is the 40 s point: 10, 20 and 30 s were not run.
        Assert.Equal((2, T.AddSeconds(40), T.AddSeconds(40)), (run.Number, run.DueAt, run.StartedAt));
        Assert.Equal(2, Codex.TurnStarts);
    }

    [Fact]
    public async Task Skip_after_a_resume_goes_on_at_the_next_point()
    {
        await using var automation = await Codex.RunAsync(EveryTenSeconds with { MissedRuns = MissedRunPolicy.Skip }, Store);
        await (await Codex.NextTurnAsync()).CompleteAsync();
        await automation.WaitForRunAsync(1);
        await automation.PauseAsync();

        Codex.Clock.Advance(TimeSpan.FromSeconds(35));
        await automation.ResumeAsync();

        Assert.Equal((AutomationState.Waiting, T.AddSeconds(40)), (automation.Status.State, automation.Status.NextDueAt));
        Codex.Clock.Advance(TimeSpan.FromSeconds(5));
        await (await Codex.NextTurnAsync()).CompleteAsync();
        Assert.Equal(T.AddSeconds(40), (await automation.WaitForRunAsync(2)).DueAt);
        Assert.Equal(2, Codex.TurnStarts);
    }

    [Theory]
    [InlineData(MissedRunPolicy.RunOnce)]
    [InlineData(MissedRunPolicy.Skip)]
    public async Task Run_once_and_skip_collapse_the_points_an_overrunning_run_missed(MissedRunPolicy policy)
    {
        await using var automation = await Codex.RunAsync(EveryTenSeconds with { MissedRuns = policy }, Store);
        var first = await Codex.NextTurnAsync();

        Codex.Clock.Advance(TimeSpan.FromSeconds(35));
        await first.CompleteAsync();
        await automation.WaitForRunAsync(1);

        // The seed's collapse: the run in flight was the one run for 10, 20 and 30 s.
        Assert.Equal(T.AddSeconds(40), automation.Status.NextDueAt);
    }

    [Fact]
    public async Task Run_each_runs_the_points_an_overrunning_run_missed_then_returns_to_the_grid()
    {
        await using var automation = await Codex.RunAsync(EveryTenSeconds with { MissedRuns = MissedRunPolicy.RunEach, MaxCatchUpRuns = 5 }, Store);
        var first = await Codex.NextTurnAsync();
        Codex.Clock.Advance(TimeSpan.FromSeconds(35));
        await first.CompleteAsync();

        for (var i = 0; i < 3; i++)
        {
            await (await Codex.NextTurnAsync()).CompleteAsync();
        }

        var runs = await automation.WaitForRunsAsync(4);
        Assert.Equal([T, T.AddSeconds(10), T.AddSeconds(20), T.AddSeconds(30)], runs.Select(r => r.DueAt));
        Assert.All(runs.Skip(1), r => Assert.Equal(T.AddSeconds(35), r.StartedAt));
        Assert.Equal((4, T.AddSeconds(40)), (automation.Status.RunsCompleted, automation.Status.NextDueAt));
        Assert.Equal(4, Codex.TurnStarts);
    }

    [Fact]
    public async Task Run_each_after_a_restart_runs_the_newest_missed_points_up_to_its_bound()
    {
        await CrashAfterTheFirstRunAndRestartAt35Async(EveryTenSeconds with { MissedRuns = MissedRunPolicy.RunEach, MaxCatchUpRuns = 2 });

        await using var second = Codex.Last!;
        await (await Codex.NextTurnAsync()).CompleteAsync();
        await (await Codex.NextTurnAsync()).CompleteAsync();
        var runs = await second.WaitForRunsAsync(2);

        // 10, 20 and 30 s were missed; at most two run, the newest, back to back; 10 s is dropped.
        Assert.Equal([T.AddSeconds(20), T.AddSeconds(30)], runs.Select(r => r.DueAt));
        Assert.Equal([2, 3], runs.Select(r => r.Number));
        Assert.Equal(T.AddSeconds(40), second.Status.NextDueAt);
        Assert.Equal(3, Codex.TurnStarts);
    }

    [Fact]
    public async Task Run_each_after_a_resume_runs_each_missed_point()
    {
        await using var automation = await Codex.RunAsync(EveryTenSeconds with { MissedRuns = MissedRunPolicy.RunEach, MaxCatchUpRuns = 10 }, Store);
        await (await Codex.NextTurnAsync()).CompleteAsync();
        await automation.WaitForRunAsync(1);
        await automation.PauseAsync();
        Codex.Clock.Advance(TimeSpan.FromSeconds(25));

        await automation.ResumeAsync();
        await (await Codex.NextTurnAsync()).CompleteAsync();
        await (await Codex.NextTurnAsync()).CompleteAsync();
        var runs = await automation.WaitForRunsAsync(3);

        Assert.Equal([T, T.AddSeconds(10), T.AddSeconds(20)], runs.Select(r => r.DueAt));
        Assert.Equal(T.AddSeconds(30), automation.Status.NextDueAt);
    }

    [Theory]
    [InlineData(MissedRunPolicy.RunEach, null, "MaxCatchUpRuns is not set")]
    [InlineData(MissedRunPolicy.RunEach, 0, "MaxCatchUpRuns is 0")]
    [InlineData(MissedRunPolicy.Skip, 3, "applies only to MissedRunPolicy.RunEach")]
    [InlineData((MissedRunPolicy)7, null, "not a MissedRunPolicy value")]
    public async Task A_policy_and_bound_that_do_not_fit_are_refused_at_start(MissedRunPolicy policy, int? bound, string says)
    {
        var spec = EveryTenSeconds with { MissedRuns = policy, MaxCatchUpRuns = bound };

        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => Codex.RunAsync(spec, Store));

        Assert.Contains(says, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, Codex.TurnStarts);
    }

    /// <summary>First run at 0 s completes, the automation crashes at 3 s, and is started again at 35 s (<see cref="ScriptedCodex.Last"/>).</summary>
    private async Task CrashAfterTheFirstRunAndRestartAt35Async(AutomationSpec spec)
    {
        var first = await Codex.RunAsync(spec, Store);
        await (await Codex.NextTurnAsync()).CompleteAsync();
        await first.WaitForRunAsync(1);
        Codex.Clock.Advance(TimeSpan.FromSeconds(3));
        await first.DisposeAsync();
        Codex.Clock.Advance(TimeSpan.FromSeconds(32));
        await Codex.RunAsync(spec, Store);
    }
}
