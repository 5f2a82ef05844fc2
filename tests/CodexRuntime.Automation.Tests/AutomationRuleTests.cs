using CodexRuntime.Automation.Tests.Support;

namespace CodexRuntime.Automation.Tests;

/// <summary>
/// The seed's rules, one test each (its ten cases named as it names them), on a real <see cref="CodexSession"/> over
/// the scripted app-server and a <see cref="Microsoft.Extensions.Time.Testing.FakeTimeProvider"/>: the test moves the
/// clock and ends each turn, so every time below is exact.
/// </summary>
public sealed class AutomationRuleTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T = ScriptedCodex.Start;
    private ScriptedCodex _codex = null!;

    public async Task InitializeAsync() => _codex = await ScriptedCodex.StartAsync();

    public async Task DisposeAsync() => await _codex.DisposeAsync();

    [Fact]
    public async Task First_run_is_due_at_once_when_start_at_is_in_the_past()
    {
        await using var automation = await _codex.RunAsync(new AutomationSpec { Prompt = "check", StartAt = T.AddHours(-1), Every = TimeSpan.FromMinutes(10) });
        // Waiting or already running: either way the (first) run is due now.
        Assert.Equal(T, automation.Status.NextDueAt);

        await (await _codex.NextTurnAsync()).CompleteAsync();
        var run = await automation.WaitForRunAsync(1);

        Assert.Equal(T, run.DueAt);
        Assert.Equal(T, run.StartedAt);
        Assert.Equal(AutomationState.Waiting, automation.Status.State);
        Assert.Equal(T.AddMinutes(10), automation.Status.NextDueAt);
    }

    [Fact]
    public async Task Collapse_missed_ticks_into_one_run_at_the_next_schedule_point_after_now()
    {
        await using var automation = await _codex.RunAsync(new AutomationSpec { Prompt = "check", Every = TimeSpan.FromSeconds(10) });
        var first = await _codex.NextTurnAsync();

        // The run outlasts three ticks (10, 20, 30 s)...
        _codex.Clock.Advance(TimeSpan.FromSeconds(35));
        await first.CompleteAsync();
        var run1 = await automation.WaitForRunAsync(1);

        // ...which collapse into one run at 40 s: on the schedule's grid, not 35 + 10 s after the run ended.
        Assert.Equal(T.AddSeconds(35), run1.FinishedAt);
        Assert.Equal(T.AddSeconds(40), automation.Status.NextDueAt);
        _codex.Clock.Advance(TimeSpan.FromSeconds(5));
        await (await _codex.NextTurnAsync()).CompleteAsync();
        var run2 = await automation.WaitForRunAsync(2);
        Assert.Equal(T.AddSeconds(40), run2.DueAt);
        Assert.Equal(T.AddSeconds(40), run2.StartedAt);
        Assert.Equal(2, _codex.TurnStarts);
        Assert.Equal(T.AddSeconds(50), automation.Status.NextDueAt);
    }

    [Fact]
    public async Task A_clock_that_jumps_over_several_ticks_runs_the_due_run_once_then_returns_to_the_grid()
    {
        await using var automation = await _codex.RunAsync(new AutomationSpec { Prompt = "check", Every = TimeSpan.FromSeconds(10) });
        await (await _codex.NextTurnAsync()).CompleteAsync();
        await automation.WaitForRunAsync(1);

        // Waiting for 10 s, the clock jumps to 35 s (a suspended machine): the due run runs once, late.
        _codex.Clock.Advance(TimeSpan.FromSeconds(35));
        await (await _codex.NextTurnAsync()).CompleteAsync();
        var run2 = await automation.WaitForRunAsync(2);

        Assert.Equal(T.AddSeconds(10), run2.DueAt);
        Assert.Equal(T.AddSeconds(35), run2.StartedAt);
        Assert.Equal(T.AddSeconds(40), automation.Status.NextDueAt);
        Assert.Equal(2, _codex.TurnStarts);
    }

    [Fact]
    public async Task Start_stop_boundary_stop_at_is_exclusive()
    {
        await using var automation = await _codex.RunAsync(new AutomationSpec { Prompt = "check", StartAt = T, Every = TimeSpan.FromSeconds(10), StopAt = T.AddSeconds(20) });

        await (await _codex.NextTurnAsync()).CompleteAsync();
        await automation.WaitForRunAsync(1);
        _codex.Clock.Advance(TimeSpan.FromSeconds(10));
        await (await _codex.NextTurnAsync()).CompleteAsync();
        var runs = await automation.WaitForRunsAsync(2);
        var status = await automation.EndedAsync();

        // 0 s and 10 s run; 20 s is the stop time itself, so no run starts then.
        Assert.Equal([T, T.AddSeconds(10)], runs.Select(r => r.StartedAt));
        Assert.Equal(AutomationState.Stopped, status.State);
        Assert.Null(status.NextDueAt);
        Assert.Equal(2, status.RunsCompleted);
        Assert.Equal(2, _codex.TurnStarts);
    }

    [Fact]
    public async Task Start_stop_boundary_start_at_equal_to_stop_at_runs_nothing()
    {
        await using var automation = await _codex.RunAsync(new AutomationSpec { Prompt = "check", StartAt = T.AddMinutes(5), StopAt = T.AddMinutes(5), Every = TimeSpan.FromSeconds(1) });

        var status = await automation.EndedAsync();

        Assert.Equal(AutomationState.Stopped, status.State);
        Assert.Equal(0, status.RunsCompleted);
        Assert.Equal(0, _codex.TurnStarts);
    }

    [Fact]
    public async Task Stop_at_ends_the_automation_when_the_next_point_would_reach_it()
    {
        await using var automation = await _codex.RunAsync(new AutomationSpec { Prompt = "check", Every = TimeSpan.FromHours(1), StopAt = T.AddMinutes(30) });

        await (await _codex.NextTurnAsync()).CompleteAsync();
        await automation.WaitForRunAsync(1);
        var status = await automation.EndedAsync();

        Assert.Equal(AutomationState.Stopped, status.State);
        Assert.Equal(1, status.RunsCompleted);
        Assert.Null(status.NextDueAt);
        Assert.Null(status.LastError);
    }

    [Fact]
    public async Task Stop_at_passed_while_waiting_starts_no_run()
    {
        await using var automation = await _codex.RunAsync(new AutomationSpec { Prompt = "check", StartAt = T.AddMinutes(10), Every = TimeSpan.FromMinutes(1), StopAt = T.AddMinutes(11) });

        // The clock jumps from before the first due time to past the stop time: the due run must not start.
        _codex.Clock.Advance(TimeSpan.FromMinutes(20));
        var status = await automation.EndedAsync();

        Assert.Equal(AutomationState.Stopped, status.State);
        Assert.Equal(0, _codex.TurnStarts);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public async Task Zero_interval_fails_without_a_crash(int seconds)
    {
        await using var automation = await _codex.RunAsync(new AutomationSpec { Prompt = "check", Every = TimeSpan.FromSeconds(seconds) });

        var status = await automation.EndedAsync();

        Assert.Equal(AutomationState.Failed, status.State);
        Assert.Contains("Every", status.LastError, StringComparison.Ordinal);
        Assert.Contains("greater than zero", status.LastError, StringComparison.Ordinal);
        Assert.Equal(0, _codex.TurnStarts);
    }

    [Fact]
    public async Task Max_runs_zero_stops_at_once()
    {
        await using var automation = await _codex.RunAsync(new AutomationSpec { Prompt = "check", Every = TimeSpan.FromSeconds(1), MaxRuns = 0 });

        Assert.True(automation.Completion.IsCompleted);
        Assert.Equal(AutomationState.Stopped, automation.Status.State);
        Assert.Null(automation.Status.NextDueAt);
        Assert.Equal(0, _codex.TurnStarts);
    }

    [Fact]
    public async Task Delayed_start_and_max_runs()
    {
        await using var automation = await _codex.RunAsync(new AutomationSpec { Prompt = "check", StartAt = T.AddMinutes(5), Every = TimeSpan.FromMinutes(1), MaxRuns = 2 });
        Assert.Equal(AutomationState.Waiting, automation.Status.State);
        Assert.Equal(T.AddMinutes(5), automation.Status.NextDueAt);

        _codex.Clock.Advance(TimeSpan.FromMinutes(4));
        _codex.Clock.Advance(TimeSpan.FromMinutes(1));
        await (await _codex.NextTurnAsync()).CompleteAsync();
        _codex.Clock.Advance((await automation.WaitForRunAsync(1)).DueAt.AddMinutes(1) - _codex.Clock.GetUtcNow());
        await (await _codex.NextTurnAsync()).CompleteAsync();
        var runs = await automation.WaitForRunsAsync(2);
        var status = await automation.EndedAsync();
        _codex.Clock.Advance(TimeSpan.FromHours(1));

        // Nothing ran before the start (the first run started exactly then), two ran, then it stopped for good.
        Assert.Equal([T.AddMinutes(5), T.AddMinutes(6)], runs.Select(r => r.StartedAt));
        Assert.Equal([1, 2], runs.Select(r => r.Number));
        Assert.Equal(AutomationState.Stopped, status.State);
        Assert.Equal(2, status.RunsCompleted);
        Assert.Equal(2, _codex.TurnStarts);
    }

    [Fact]
    public async Task Single_flight_one_turn_at_a_time_however_long_a_run_takes()
    {
        await using var automation = await _codex.RunAsync(new AutomationSpec { Prompt = "check", Every = TimeSpan.FromSeconds(1) });
        var first = await _codex.NextTurnAsync();

        for (var i = 0; i < 10; i++)
        {
            _codex.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(AutomationState.Running, automation.Status.State);
        Assert.Equal(T, automation.Status.NextDueAt);   // the run in flight's due time until it ends
        Assert.Equal(0, automation.Status.RunsCompleted);
        Assert.Equal(1, _codex.TurnStarts);
        await first.CompleteAsync();
        await automation.WaitForRunAsync(1);
        // Ten ticks passed during the run; the next is the following one, and only one turn started meanwhile.
        Assert.Equal(1, _codex.TurnStarts);
        Assert.Equal(T.AddSeconds(11), automation.Status.NextDueAt);
        Assert.Equal(AutomationState.Waiting, automation.Status.State);
    }

    [Fact]
    public async Task Stop_aborts_in_flight_by_interrupting_the_turn_and_waiting_for_it()
    {
        _codex.QueueInterrupts();
        await using var automation = await _codex.RunAsync(new AutomationSpec { Prompt = "check", Every = TimeSpan.FromSeconds(10) });
        var turn = await _codex.NextTurnAsync();

        var stopping = automation.StopAsync();
        var interrupt = await _codex.Server.ReadRequestAsync("turn/interrupt");
        Assert.Equal(turn.TurnId, (string?)interrupt.Params?["turnId"]);
        Assert.Equal(turn.ThreadId, (string?)interrupt.Params?["threadId"]);
        // The stop waits for codex to end the turn.
        Assert.False(stopping.IsCompleted);
        await interrupt.RespondAsync(new System.Text.Json.Nodes.JsonObject());
        await turn.InterruptedAsync();
        await stopping.WaitAsync(ScriptedCodex.Deadline);

        var run = await automation.WaitForRunAsync(1);
        var status = automation.Status;
        Assert.IsType<CodexRunInterruptedException>(run.Error);
        Assert.Equal(AutomationState.Stopped, status.State);
        Assert.Equal(0, status.RunsCompleted);
        Assert.Null(status.LastError);
        Assert.Null(status.NextDueAt);
        Assert.Equal(status, await automation.EndedAsync());
        _codex.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, _codex.TurnStarts);
    }

    [Fact]
    public async Task Stop_while_waiting_stops_at_once_without_a_run()
    {
        await using var automation = await _codex.RunAsync(new AutomationSpec { Prompt = "check", StartAt = T.AddMinutes(1), Every = TimeSpan.FromSeconds(10) });

        await automation.StopAsync().WaitAsync(ScriptedCodex.Deadline);
        _codex.Clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(AutomationState.Stopped, automation.Status.State);
        Assert.Equal(0, _codex.TurnStarts);
    }

    [Fact]
    public async Task Failure_stops_the_runner_as_failed_with_the_last_error()
    {
        await using var automation = await _codex.RunAsync(new AutomationSpec { Prompt = "check", Every = TimeSpan.FromSeconds(10) });
        await (await _codex.NextTurnAsync()).CompleteAsync();
        await automation.WaitForRunAsync(1);

        _codex.Clock.Advance(TimeSpan.FromSeconds(10));
        await (await _codex.NextTurnAsync()).FailAsync("provider said no");
        var run = await automation.WaitForRunAsync(2);
        var status = await automation.EndedAsync();
        _codex.Clock.Advance(TimeSpan.FromMinutes(5));

        Assert.IsType<CodexRunFailedException>(run.Error);
        Assert.Null(run.Result);
        Assert.Equal(AutomationState.Failed, status.State);
        Assert.Equal(1, status.RunsCompleted);
        Assert.StartsWith("Run 2 failed: CodexRunFailedException", status.LastError, StringComparison.Ordinal);
        Assert.Equal(T.AddSeconds(10), status.LastFinishedAt);
        Assert.Null(status.NextDueAt);
        Assert.Equal(2, _codex.TurnStarts);
    }

    [Fact]
    public async Task Thread_reuse_every_run_is_a_turn_of_the_prepared_session()
    {
        var threadId = _codex.Session.ThreadId;
        await using var automation = await _codex.RunAsync(new AutomationSpec { Prompt = "what changed?", Every = TimeSpan.FromSeconds(1), MaxRuns = 3 });

        for (var i = 1; i <= 3; i++)
        {
            await (await _codex.NextTurnAsync()).CompleteAsync($"answer {i}");
            await automation.WaitForRunAsync(i);
            _codex.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var runs = await automation.WaitForRunsAsync(3);
        Assert.Equal(AutomationState.Stopped, (await automation.EndedAsync()).State);
        Assert.All(_codex.Started, started => Assert.Equal((threadId, "what changed?"), started));
        Assert.Equal(3, _codex.Started.Count);
        Assert.All(runs, run => Assert.Equal(threadId, run.Result?.ThreadId));
        Assert.Equal(["answer 1", "answer 2", "answer 3"], runs.Select(r => r.Result?.Text));
        Assert.Equal(threadId, automation.Status.ThreadId);
        Assert.Equal(threadId, _codex.Session.ThreadId);
        Assert.False(_codex.Session.IsClosed);
    }

    [Fact]
    public async Task Closed_session_fails_at_start()
    {
        await _codex.Session.CloseAsync();

        await using var automation = await _codex.RunAsync(new AutomationSpec { Prompt = "check", Every = TimeSpan.FromSeconds(1) });
        var status = await automation.EndedAsync();

        Assert.Equal(AutomationState.Failed, status.State);
        Assert.Contains("closed", status.LastError, StringComparison.Ordinal);
        Assert.Equal(0, _codex.TurnStarts);
    }

    [Fact]
    public async Task Closed_session_fails_the_next_run()
    {
        await using var automation = await _codex.RunAsync(new AutomationSpec { Prompt = "check", Every = TimeSpan.FromSeconds(10) });
        await (await _codex.NextTurnAsync()).CompleteAsync();
        await automation.WaitForRunAsync(1);

        await _codex.Session.CloseAsync();
        _codex.Clock.Advance(TimeSpan.FromSeconds(10));
        var run = await automation.WaitForRunAsync(2);
        var status = await automation.EndedAsync();

        Assert.IsType<CodexSessionClosedException>(run.Error);
        Assert.Equal(AutomationState.Failed, status.State);
        Assert.Contains("CodexSessionClosedException", status.LastError, StringComparison.Ordinal);
        Assert.Equal(1, _codex.TurnStarts);
    }

    [Fact]
    public async Task A_spec_needs_exactly_one_of_every_and_cron()
    {
        var neither = await Assert.ThrowsAsync<ArgumentException>(() => _codex.RunAsync(new AutomationSpec { Prompt = "check" }));
        var both = await Assert.ThrowsAsync<ArgumentException>(() => _codex.RunAsync(new AutomationSpec { Prompt = "check", Every = TimeSpan.FromSeconds(1), Cron = new AutomationCron("* * * * *") }));

        Assert.Contains("exactly one of Every", neither.Message, StringComparison.Ordinal);
        Assert.Contains("both Every and Cron", both.Message, StringComparison.Ordinal);
        Assert.Equal(0, _codex.TurnStarts);
    }

    [Fact]
    public async Task Every_finished_run_is_raised_and_readable_by_several_readers()
    {
        await using var automation = await _codex.RunAsync(new AutomationSpec { Prompt = "check", Every = TimeSpan.FromSeconds(1), MaxRuns = 2 });
        var raised = new List<AutomationRun>();
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        automation.RunFinished += (sender, run) =>
        {
            Assert.Same(automation, sender);
            lock (raised)
            {
                raised.Add(run);
            }

            if (run.Number == 2)
            {
                second.TrySetResult();
            }
        };

        await (await _codex.NextTurnAsync()).CompleteAsync("one");
        await automation.WaitForRunAsync(1);
        _codex.Clock.Advance(TimeSpan.FromSeconds(1));
        await (await _codex.NextTurnAsync()).CompleteAsync("two");
        await second.Task.WaitAsync(ScriptedCodex.Deadline);

        var readerA = await automation.WaitForRunsAsync(2);
        var readerB = await automation.WaitForRunsAsync(2);
        Assert.Equal(["one", "two"], raised.Select(r => r.Result?.Text));
        Assert.Equal(readerA, readerB);
        Assert.Equal(raised, readerA);
        Assert.All(readerA, r => Assert.True(r.Succeeded));
    }
}
