using CodexRuntime.Automation.Diagnostics;
using CodexRuntime.Automation.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;

namespace CodexRuntime.Automation;

/// <summary>
/// The loop of one automation: start from the checkpoint, wait for the due time, run one turn on the session, record
/// it, and end; stop (interrupting the turn in flight) or let go when disposed. One turn is in flight at a time because
/// the loop awaits each run before it looks at the clock again. The run in flight is <see cref="RunInFlight"/>'s, what
/// its outcome does is <see cref="RunOutcomeLadder"/>'s, the schedule's rules are <see cref="SchedulePolicy"/>'s and the
/// handle's control actions are <see cref="AutomationControls"/>'.
/// </summary>
internal sealed class AutomationRunner : IAsyncDisposable
{
    private readonly CodexSession _session;
    private readonly AutomationSpec _spec;
    private readonly string _name;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly AutomationMetrics _metrics;
    private readonly AutomationProgress _progress;
    private readonly RunHistoryRecorder _history;
    private readonly CheckpointKeeper _checkpoints;
    private readonly SchedulePolicy _schedule;
    private readonly RunInFlight _inFlight;
    private readonly RunOutcomeLadder _outcomes;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly TaskCompletionSource<AutomationStatus> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _finished;
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
        IAutomationSchedule? schedule;
        if (spec.Every is { } every && every > TimeSpan.Zero)
        {
            // Anchored where the first run was due, kept by the checkpoint so a restart stays on the same grid.
            var anchor = checkpoint is null ? start : checkpoint.Anchor ?? checkpoint.NextDueAt ?? start;
            schedule = AutomationSchedule.For(spec, anchor);
            _progress = new AutomationProgress(_name, () => session.ThreadId, checkpoint, anchor);
        }
        else
        {
            schedule = AutomationSchedule.For(spec, start);
            _progress = new AutomationProgress(_name, () => session.ThreadId, checkpoint, null);
        }

        // Ended and let go, or disposed (as a crash): nothing more is written.
        _checkpoints = new CheckpointKeeper(options.StateStore, _progress, _name, _logger,
            () => Volatile.Read(ref _finished) == 1 || Volatile.Read(ref _disposed) == 1);
        _schedule = new SchedulePolicy(spec, schedule, _progress, _name, _logger, _metrics);
        _inFlight = new RunInFlight(session, spec.Prompt, _abort.Token, _name, _logger);
        _outcomes = new RunOutcomeLadder(spec, _progress, _schedule, _inFlight, _name, _logger, _metrics);
        Controls = new AutomationControls(_progress, _schedule, _inFlight, _checkpoints, _clock, () => Volatile.Read(ref _disposed) == 1, _name, _logger, _metrics);
    }

    public string Name => _name;

    public AutomationSpec Spec => _spec;

    public AutomationRunLog Runs { get; } = new();

    public Task<AutomationStatus> Completion => _completion.Task;

    public AutomationStatus Status => _progress.Snapshot();

    public RunHistoryRecorder History => _history;

    /// <summary>The handle's control actions (pause, resume, run now, skip, cancel the run in flight).</summary>
    public AutomationControls Controls { get; }

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

        var turn = _inFlight.RequestStop();
        await _stop.CancelAsync().ConfigureAwait(false);
        if (turn is not null)
        {
            await _inFlight.InterruptAsync(turn, cancellationToken).ConfigureAwait(false);
        }

        await _completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
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
            var due = checkpoint?.NextDueAt is { } owed && !checkpoint.Paused && checkpoint.RetryAt is null ? _schedule.Settle(owed, now)
                : checkpoint?.NextDueAt ?? _schedule.First(start);
            _progress.Begin(due);
            if (_schedule.EndOf(_progress.Plan(), now) is { } ended)
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
                if (_inFlight.StopRequested)
                {
                    await SettleAsync(AutomationState.Stopped).ConfigureAwait(false);
                }
                else if (_schedule.EndOf(plan, now) is { } ended)
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

    private async Task RunOnceAsync(RunPlan plan, DateTimeOffset startedAt)
    {
        if (_inFlight.TryBegin(_progress, plan, startedAt) is not { } number)
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
            _inFlight.End();
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
        try
        {
            result = await _inFlight.AskAsync().ConfigureAwait(false);
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
        var run = new AutomationRun(_name, number, due, startedAt, finishedAt, result, error, _inFlight.OutcomeOf(error), _session.ThreadId, _inFlight.TurnId);
        if (_outcomes.Apply(run) is { } end)
        {
            await SettleAsync(end.State, end.Error).ConfigureAwait(false);
        }
        else
        {
            await _checkpoints.TrySaveAsync().ConfigureAwait(false);
        }

        // Readers and handlers see the run with its outcome already in the status and the store; the end comes after it.
        await _history.RecordAsync(run).ConfigureAwait(false);
        Publish(run);
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
