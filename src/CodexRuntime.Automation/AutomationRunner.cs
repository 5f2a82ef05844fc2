using CodexRuntime.Automation.Diagnostics;
using CodexRuntime.Automation.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;

namespace CodexRuntime.Automation;

/// <summary>
/// The loop of one automation: wait for the due time, run one turn on the session, record it, decide what comes
/// next; and stop (interrupting the turn in flight) or let go when disposed. One turn is in flight at a time because
/// the loop awaits each run before it looks at the clock again.
/// </summary>
internal sealed class AutomationRunner : IAsyncDisposable
{
    private readonly CodexSession _session;
    private readonly AutomationSpec _spec;
    private readonly string _name;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly AutomationMetrics _metrics;
    private readonly IAutomationSchedule? _schedule;
    private readonly AutomationProgress _progress;
    private readonly RunHistoryRecorder _history;
    private readonly CheckpointKeeper _checkpoints;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly TaskCompletionSource<AutomationStatus> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _stopRequested;
    private bool _cancelRequested;
    private TaskCompletionSource? _runEnded;
    private int _finished;
    private CodexTurn? _turn;
    private string? _turnId;
    private Task _loop = Task.CompletedTask;
    private int _disposed;

    private AutomationRunner(CodexSession session, AutomationSpec spec, AutomationOptions options, AutomationCheckpoint? checkpoint, DateTimeOffset start)
    {
        _session = session;
        _spec = spec;
        _name = options.Name;
        _clock = options.TimeProvider ?? TimeProvider.System;
        _logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger("CodexRuntime.Automation");
        _metrics = new AutomationMetrics(_name, options.MeterFactory);
        _history = new RunHistoryRecorder(_name, options.StateStore, options.RunHistoryLimit, options.RunHistoryMaxAge, _logger);
        if (spec.Every is { } every && every > TimeSpan.Zero)
        {
            // Anchored where the first run was due, kept by the checkpoint so a restart stays on the same grid.
            var anchor = checkpoint is null ? start : checkpoint.Anchor ?? checkpoint.NextDueAt ?? start;
            _schedule = AutomationSchedule.For(spec, anchor);
            _progress = new AutomationProgress(_name, () => session.ThreadId, checkpoint, anchor);
        }
        else
        {
            _schedule = AutomationSchedule.For(spec, start);
            _progress = new AutomationProgress(_name, () => session.ThreadId, checkpoint, null);
        }

        // Ended and let go, or disposed (as a crash): nothing more is written.
        _checkpoints = new CheckpointKeeper(options.StateStore, _progress, _name, _logger,
            () => Volatile.Read(ref _finished) == 1 || Volatile.Read(ref _disposed) == 1);
    }

    public string Name => _name;

    public AutomationSpec Spec => _spec;

    public AutomationRunLog Runs { get; } = new();

    public Task<AutomationStatus> Completion => _completion.Task;

    public AutomationStatus Status => _progress.Snapshot();

    public RunHistoryRecorder History => _history;

    /// <summary>Told of each run once its outcome is in <see cref="Status"/> and the store (the handle raises its event from it).</summary>
    private Action<AutomationRun>? _published;

    /// <summary>Loads the checkpoint, decides the first due time (or the end), saves, and starts the loop.</summary>
    public static async Task<AutomationRunner> StartAsync(CodexSession session, AutomationSpec spec, AutomationOptions options, Action<AutomationRun> published, CancellationToken cancellationToken)
    {
        // Owned before the checkpoint is read: a second automation of this name must not run the points this one runs.
        var lease = options.StateStore is null ? null : await options.StateStore.AcquireAsync(options.Name, cancellationToken).ConfigureAwait(false);
        try
        {
            var checkpoint = options.StateStore is null ? null : await options.StateStore.LoadAsync(options.Name, cancellationToken).ConfigureAwait(false);
            if (checkpoint is not null)
            {
                CheckpointKeeper.EnsureUsable(checkpoint, options.StateStore!, options.Name);
            }

            var clock = options.TimeProvider ?? TimeProvider.System;
            var now = clock.GetUtcNow();
            var start = AutomationSchedule.StartOf(spec, now);
            var runner = new AutomationRunner(session, spec, options, checkpoint, start) { _published = published };
            runner._checkpoints.Hold(lease);
            lease = null;
            try
            {
                await runner.BeginAsync(checkpoint, start, now).ConfigureAwait(false);
            }
            catch
            {
                // Nobody gets a handle to dispose: the runner lets the name go itself.
                await runner._checkpoints.ReleaseAsync().ConfigureAwait(false);
                throw;
            }

            return runner;
        }
        finally
        {
            if (lease is not null)
            {
                // Refused or failed before the runner took the lease: the name is free again.
                await lease.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposed) == 1 || _completion.Task.IsCompleted)
        {
            // Already ended (or let go): nothing to stop.
            await _completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        CodexTurn? turn;
        lock (_gate)
        {
            _stopRequested = true;
            turn = _turn;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        if (turn is not null)
        {
            await InterruptAsync(turn, cancellationToken).ConfigureAwait(false);
        }

        await _completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Pauses (saved before it returns); a run in flight finishes. See <see cref="AutomationHandle.PauseAsync"/>.</summary>
    public async Task PauseAsync(CancellationToken cancellationToken)
    {
        EnsureUsable(cancellationToken);
        if (!_progress.Pause())
        {
            throw Ended("paused");
        }

        _metrics.Control("pause");
        AutomationLog.Paused(_logger, _name, _progress.State == AutomationState.Running);
        await SaveControlAsync("paused").ConfigureAwait(false);
    }

    /// <summary>Resumes (saved before it returns). See <see cref="AutomationHandle.ResumeAsync"/>.</summary>
    public async Task ResumeAsync(CancellationToken cancellationToken)
    {
        EnsureUsable(cancellationToken);
        var now = _clock.GetUtcNow();
        if (!_progress.Resume(due => Settle(due, now)))
        {
            throw Ended("resumed");
        }

        _metrics.Control("resume");
        AutomationLog.Resumed(_logger, _name, _progress.OwedDue);
        await SaveControlAsync("resumed").ConfigureAwait(false);
    }

    /// <summary>One extra run at once (or after the run in flight). See <see cref="AutomationHandle.RunNowAsync"/>.</summary>
    public async Task RunNowAsync(CancellationToken cancellationToken)
    {
        EnsureUsable(cancellationToken);
        var now = _clock.GetUtcNow();
        var answer = _progress.RequestRunNow(now);
        switch (answer)
        {
            case RunNowAnswer.Ended:
                throw Ended("run now");
            case RunNowAnswer.Paused:
                throw new InvalidOperationException($"The automation '{_name}' is paused, so it starts no run, a run-now included. Call ResumeAsync first, then RunNowAsync.");
            case RunNowAnswer.AlreadyPending:
                throw new InvalidOperationException($"The automation '{_name}' already has a run-now queued or in flight (requested at {Status.RunNowRequestedAt:O}); it takes one at a time. Wait for that run (RunFinished or ReadRunsAsync), then ask again.");
        }

        _metrics.Control("run_now");
        AutomationLog.RunNowRequested(_logger, _name, answer.ToString());
        await SaveControlAsync("asked to run now").ConfigureAwait(false);
    }

    /// <summary>Skips the next scheduled point (durably). See <see cref="AutomationHandle.SkipNextAsync"/>.</summary>
    public async Task SkipNextAsync(CancellationToken cancellationToken)
    {
        EnsureUsable(cancellationToken);
        if (!_progress.Skip(point => MissedRuns.Following(_schedule!, point)))
        {
            throw Ended("skipped");
        }

        _metrics.Control("skip");
        AutomationLog.SkipRequested(_logger, _name, _progress.State == AutomationState.Running, _progress.OwedDue);
        await SaveControlAsync("asked to skip its next run").ConfigureAwait(false);
    }

    /// <summary>Interrupts the run in flight and waits for it to end; false when none was in flight. See <see cref="AutomationHandle.CancelRunAsync"/>.</summary>
    public async Task<bool> CancelRunAsync(CancellationToken cancellationToken)
    {
        EnsureUsable(cancellationToken);
        CodexTurn? turn;
        Task runEnded;
        lock (_gate)
        {
            if (_runEnded is null)
            {
                return false;
            }

            _cancelRequested = true;
            turn = _turn;
            runEnded = _runEnded.Task;
        }

        _metrics.Control("cancel");
        AutomationLog.CancelRequested(_logger, _name, turn?.TurnId);
        if (turn is not null)
        {
            await InterruptAsync(turn, cancellationToken).ConfigureAwait(false);
        }

        // Else turn/start is still in flight: the run interrupts its turn as soon as codex names it.
        await runEnded.WaitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private void EnsureUsable(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        // Before anything changes: a cancelled call leaves the automation as it was.
        cancellationToken.ThrowIfCancellationRequested();
    }

    private InvalidOperationException Ended(string action) =>
        new($"The automation '{_name}' has ended ({_progress.State}), so it cannot be {action}. Start it again (with the same state store it continues its schedule), then control the new handle.");

    /// <summary>A control action's change, saved before the action returns, so a restart right after it keeps it.</summary>
    private async Task SaveControlAsync(string action)
    {
        if (!await _checkpoints.TrySaveAsync().ConfigureAwait(false) && _progress.IsEnded && Volatile.Read(ref _disposed) == 0)
        {
            // The save failed (the automation ended Failed, the loop finishes it) or the automation ended meanwhile.
            throw new InvalidOperationException($"The automation '{_name}' was {action}, but it ended ({Status.State}: {Status.LastError ?? "no error"}) before that was saved, so it does not hold.");
        }
    }

    /// <summary>Lets go without stopping: no further run, the turn in flight is abandoned (codex is told to interrupt it), and nothing more is written to the store, as after a crash.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _abort.CancelAsync().ConfigureAwait(false);
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        // Let go as a crash would (the OS would drop a file lock with the process), so a successor can start.
        await _checkpoints.ReleaseAsync().ConfigureAwait(false);
        _metrics.Dispose();
        _stop.Dispose();
        _abort.Dispose();
    }

    private async Task BeginAsync(AutomationCheckpoint? checkpoint, DateTimeOffset start, DateTimeOffset now)
    {
        if (checkpoint is not null)
        {
            AutomationLog.Restored(_logger, _name, checkpoint.RunsCompleted, checkpoint.NextDueAt);
            if (checkpoint.ThreadId is { } stored && stored != _session.ThreadId)
            {
                AutomationLog.ThreadChanged(_logger, _name, stored, _session.ThreadId);
            }
        }

        if (_session.IsClosed)
        {
            await EndAsync(AutomationState.Failed, $"The session for thread {_session.ThreadId} is closed: an automation runs on an open session and never opens one.").ConfigureAwait(false);
        }
        else if (_spec.Every is { } every && every <= TimeSpan.Zero)
        {
            await EndAsync(AutomationState.Failed, $"AutomationSpec.Every is {every}; it must be greater than zero.").ConfigureAwait(false);
        }
        else
        {
            // A checkpoint's owed run wins: when its time has passed the missed-run policy says what runs (by default
            // it runs at once, once). A paused automation settles it when resumed, a waiting retry keeps its point. A
            // checkpoint without one (written by an automation that failed before its first due time was set) starts
            // the schedule afresh; that first point is now or later, never missed.
            var due = checkpoint?.NextDueAt is { } owed && !checkpoint.Paused && checkpoint.RetryAt is null ? Settle(owed, now)
                : checkpoint?.NextDueAt ?? _schedule!.First(start);
            _progress.Begin(due);
            if (EndOfSchedule(_progress.Plan(), now) is { } ended)
            {
                await EndAsync(ended).ConfigureAwait(false);
            }
            else if (await _checkpoints.TrySaveAsync().ConfigureAwait(false))
            {
                _loop = Task.Run(RunLoopAsync);
            }
            else
            {
                await FinishAsync().ConfigureAwait(false);
            }
        }

        AutomationLog.Started(_logger, _name, _session.ThreadId, Status.State, Status.NextDueAt);
    }

    /// <summary>The missed-run policy applied to an owed point nothing waited for (a restart, a resume).</summary>
    private DateTimeOffset? Settle(DateTimeOffset due, DateTimeOffset now)
    {
        var settled = MissedRuns.Settle(_spec, _schedule!, due, now);
        if (settled != due)
        {
            AutomationLog.MissedPointsPassedOver(_logger, _name, _spec.MissedRuns, due, settled);
            _metrics.MissedPointsPassedOver();
        }

        return settled;
    }

    /// <summary>
    /// Stopped when no run may come by <paramref name="plan"/>: max runs reached, no further point, or at or past
    /// StopAt. A run-now has no point of its own: only the count and the clock can end it.
    /// </summary>
    private AutomationState? EndOfSchedule(RunPlan plan, DateTimeOffset now) =>
        // The same rule AutomationSpec.NextDueTimes applies, so a preview ends where the runs end.
        AutomationSchedule.Ends(_spec, _progress.RunsCompleted, plan.RunNow ? now : plan.DueAt, now) ? AutomationState.Stopped : null;

    private async Task RunLoopAsync()
    {
        try
        {
            while (true)
            {
                _abort.Token.ThrowIfCancellationRequested();
                if (_progress.IsEnded)
                {
                    // Ended by a run, or by a control action's failed save.
                    break;
                }

                var plan = _progress.Plan();
                var now = _clock.GetUtcNow();
                if (StopRequested)
                {
                    await SettleAsync(AutomationState.Stopped).ConfigureAwait(false);
                }
                else if (EndOfSchedule(plan, now) is { } ended)
                {
                    // MaxRuns reached, no further point, or the clock passed StopAt (also while paused or waiting).
                    await SettleAsync(ended).ConfigureAwait(false);
                }
                else if (plan.Paused)
                {
                    // No run until resumed; StopAt still ends a paused automation when it passes.
                    await WaitAsync(_spec.StopAt, plan.Changed).ConfigureAwait(false);
                }
                else if (plan.At > now)
                {
                    await WaitAsync(plan.At, plan.Changed).ConfigureAwait(false);
                }
                else
                {
                    await RunOnceAsync(plan, now).ConfigureAwait(false);
                }
            }

            await FinishAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            // Disposed without a stop: like a crash, nothing more is written; the store keeps the last checkpoint.
            _progress.End(AutomationState.Stopped);
            await FinishAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // A fault of the loop itself: the automation ends Failed and says why instead of leaving Completion pending.
            AutomationLog.LoopFailed(_logger, ex, _name);
            _progress.End(AutomationState.Failed, $"The automation failed: {ex.GetType().Name}: {ex.Message}");
            await FinishAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Until <paramref name="until"/> (null: no time), a change of plan, or a stop; the loop then plans again.</summary>
    private async Task WaitAsync(DateTimeOffset? until, Task changed)
    {
        try
        {
            if (until is not { } at)
            {
                // Paused without StopAt: only a control action or a stop ends this wait.
                await changed.WaitAsync(_stop.Token).ConfigureAwait(false);
                return;
            }

            using var wake = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            var timer = ScheduleClock.WaitUntilAsync(_clock, at, wake.Token);
            await Task.WhenAny(timer, changed).ConfigureAwait(false);
            // The timer (and its registration) goes with the wait whichever woke it.
            await wake.CancelAsync().ConfigureAwait(false);
            await timer.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Woken by a change or the stop: the loop decides.
        }
    }

    private bool StopRequested
    {
        get
        {
            lock (_gate)
            {
                return _stopRequested;
            }
        }
    }

    private async Task RunOnceAsync(RunPlan plan, DateTimeOffset startedAt)
    {
        var runEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int? started;
        lock (_gate)
        {
            // Claimed under the runner's gate so CancelRunAsync sees either no run or this one.
            started = _progress.TryStart(plan, startedAt);
            if (started is not null)
            {
                _cancelRequested = false;
                _runEnded = runEnded;
            }
        }

        if (started is not { } number)
        {
            // A control action changed the plan between the loop's look and the start: plan again.
            return;
        }

        try
        {
            await RunAsync(plan, number, startedAt).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                _runEnded = null;
            }

            runEnded.TrySetResult();
        }
    }

    private async Task RunAsync(RunPlan plan, int number, DateTimeOffset startedAt)
    {
        var due = plan.DueAt!.Value;
        _metrics.RunStarted(startedAt - due);
        AutomationLog.RunStarted(_logger, _name, number, due, (startedAt - due).TotalMilliseconds);
        if (!await _checkpoints.TrySaveAsync().ConfigureAwait(false))
        {
            return;
        }

        PromptRunResult? result = null;
        Exception? error = null;
        _turnId = null;
        try
        {
            result = await AskAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // Any run error is recorded, never thrown at the host: retried per the policy, else it ends the automation (the seed's rule).
            error = ex;
        }

        var finishedAt = _clock.GetUtcNow();
        bool cancelled, stopped;
        lock (_gate)
        {
            // Read once: the outcome recorded and the branch taken below must agree. A stop wins over a cancel: the
            // automation ends and the run stays owed.
            stopped = _stopRequested;
            cancelled = error is not null && _cancelRequested && !stopped;
        }

        var outcome = cancelled ? AutomationRunOutcome.Cancelled
            : error is null ? AutomationRunOutcome.Completed
            : stopped ? AutomationRunOutcome.Interrupted
            : AutomationRunOutcome.Failed;
        var run = new AutomationRun(_name, number, due, startedAt, finishedAt, result, error, outcome, _session.ThreadId, _turnId);
        if (error is null || cancelled)
        {
            Func<DateTimeOffset?> next = () => MissedRuns.After(_spec, _schedule!, due, finishedAt);
            Func<DateTimeOffset, DateTimeOffset?> following = point => MissedRuns.Following(_schedule!, point);
            if (cancelled)
            {
                _progress.Cancelled(finishedAt, next, following);
                _metrics.RunEnded("cancelled", finishedAt - startedAt);
                AutomationLog.RunCancelled(_logger, _name, number, _progress.OwedDue);
            }
            else
            {
                _progress.Completed(finishedAt, next, following);
                _metrics.RunEnded("completed", finishedAt - startedAt);
                AutomationLog.RunCompleted(_logger, _name, number, result!.TurnId, _progress.OwedDue);
            }

            if (StopRequested)
            {
                await SettleAsync(AutomationState.Stopped).ConfigureAwait(false);
            }
            else if (EndOfSchedule(_progress.Plan(), finishedAt) is { } ended)
            {
                await SettleAsync(ended).ConfigureAwait(false);
            }
            else
            {
                await _checkpoints.TrySaveAsync().ConfigureAwait(false);
            }
        }
        else if (stopped)
        {
            // The stop interrupted the turn (or codex went away with it): a stop, not a failure. The run is owed.
            _progress.Interrupted(finishedAt);
            _metrics.RunEnded("interrupted", finishedAt - startedAt);
            await SettleAsync(AutomationState.Stopped).ConfigureAwait(false);
        }
        else
        {
            _metrics.RunEnded("failed", finishedAt - startedAt);
            var attempt = _progress.FailedAttempts + 1;
            if (_spec.Retry is { } retry && attempt < retry.MaxAttempts)
            {
                // A new attempt at the same point (or the same run-now), waited for on the automation's clock and kept
                // in the checkpoint, so a restart neither resets the count nor retries early.
                var retryAt = finishedAt + retry.DelayBefore(attempt);
                _progress.RetryLater(finishedAt, retryAt);
                _metrics.RetryScheduled();
                AutomationLog.RunRetried(_logger, error, _name, number, attempt, retry.MaxAttempts, retryAt);
                await _checkpoints.TrySaveAsync().ConfigureAwait(false);
            }
            else
            {
                _progress.NotCompleted(finishedAt);
                AutomationLog.RunFailed(_logger, error, _name, number);
                var attempts = _spec.Retry is null ? string.Empty : $" (attempt {attempt} of {_spec.Retry.MaxAttempts})";
                await SettleAsync(AutomationState.Failed, $"Run {number} failed{attempts}: {error.GetType().Name}: {error.Message}").ConfigureAwait(false);
            }
        }

        // Readers and handlers see the run with its outcome already in the status and the store; the end comes after it.
        await _history.RecordAsync(run).ConfigureAwait(false);
        Publish(run);
    }

    /// <summary>One turn on the session; its events are read to the end so approvals are answered by the profile's policy at once.</summary>
    private async Task<PromptRunResult> AskAsync()
    {
        var turn = await _session.AskStreamingAsync(_spec.Prompt, _abort.Token).ConfigureAwait(false);
        await using (((IAsyncDisposable)turn).ConfigureAwait(false))
        {
            bool interrupt;
            lock (_gate)
            {
                _turn = turn;
                _turnId = turn.TurnId;
                interrupt = _stopRequested || _cancelRequested;
            }

            try
            {
                if (interrupt)
                {
                    // StopAsync or CancelRunAsync came while turn/start was in flight: it could not see this turn.
                    await InterruptAsync(turn, CancellationToken.None).ConfigureAwait(false);
                }

                await foreach (var _ in turn.WithCancellation(_abort.Token).ConfigureAwait(false))
                {
                    // The result comes from the runtime's state, not from the events.
                }

                return await turn.GetResultAsync(_abort.Token).ConfigureAwait(false);
            }
            finally
            {
                lock (_gate)
                {
                    _turn = null;
                }
            }
        }
    }

    private async Task InterruptAsync(CodexTurn turn, CancellationToken cancellationToken)
    {
        try
        {
            await turn.InterruptAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (CodexException ex)
        {
            // Usually the turn ended just before the interrupt arrived; the stop waits for the run to end either way.
            AutomationLog.InterruptFailed(_logger, _name, turn.TurnId, ex.Message);
        }
    }

    private async Task EndAsync(AutomationState state, string? error = null)
    {
        await SettleAsync(state, error).ConfigureAwait(false);
        await FinishAsync().ConfigureAwait(false);
    }

    /// <summary>Records the end in the status and the store.</summary>
    private async Task SettleAsync(AutomationState state, string? error = null)
    {
        _progress.End(state, error);
        await _checkpoints.TrySaveAsync().ConfigureAwait(false);
        AutomationLog.Ended(_logger, _name, _progress.State, _progress.RunsCompleted);
    }

    /// <summary>
    /// The name is let go on the store, then readers of the runs end and <see cref="Completion"/> completes with the
    /// final status: whoever awaits the end can start the automation again at once. Once only.
    /// </summary>
    private async Task FinishAsync()
    {
        if (Interlocked.Exchange(ref _finished, 1) == 1)
        {
            return;
        }

        // No save after this (a control action's save that lost the race): the name is about to be someone else's.
        await _checkpoints.WaitForSavesAsync().ConfigureAwait(false);
        await _checkpoints.ReleaseAsync().ConfigureAwait(false);
        Runs.Complete();
        _completion.TrySetResult(_progress.Snapshot());
    }

    private void Publish(AutomationRun run)
    {
        Runs.Add(run);
        try
        {
            _published?.Invoke(run);
        }
        catch (Exception ex)
        {
            AutomationLog.HandlerFailed(_logger, ex, _name);
        }
    }
}
