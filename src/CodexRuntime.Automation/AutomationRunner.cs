using CodexRuntime.Automation.Diagnostics;
using CodexRuntime.Automation.Persistence;
using CodexRuntime.Automation.Scheduling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

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
    private readonly IAutomationStateStore? _store;
    private readonly ILogger _logger;
    private readonly AutomationMetrics _metrics;
    private readonly IAutomationSchedule? _schedule;
    private readonly AutomationProgress _progress;
    private readonly RunHistoryRecorder _history;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly TaskCompletionSource<AutomationStatus> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _stopRequested;
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
        _store = options.StateStore;
        _logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger("CodexRuntime.Automation");
        _metrics = new AutomationMetrics(_name, options.MeterFactory);
        _history = new RunHistoryRecorder(_name, _store, options.RunHistoryLimit, options.RunHistoryMaxAge, _logger);
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
    }

    public string Name => _name;

    public AutomationSpec Spec => _spec;

    public AutomationRunLog Runs { get; } = new();

    public Task<AutomationStatus> Completion => _completion.Task;

    public AutomationStatus Status => _progress.Snapshot();

    public RunHistoryRecorder History => _history;

    /// <summary>Told of each run once its outcome is in <see cref="Status"/> and the store (the handle raises its event from it).</summary>
    private Action<AutomationRun>? _published;

    /// <summary>The store's ownership of the name, held from start until the automation ends or is disposed.</summary>
    private IAsyncDisposable? _lease;

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
                EnsureUsable(checkpoint, options.StateStore!, options.Name);
            }

            var clock = options.TimeProvider ?? TimeProvider.System;
            var now = clock.GetUtcNow();
            var start = AutomationSchedule.StartOf(spec, now);
            var runner = new AutomationRunner(session, spec, options, checkpoint, start) { _published = published, _lease = lease };
            lease = null;
            try
            {
                await runner.BeginAsync(checkpoint, start, now).ConfigureAwait(false);
            }
            catch
            {
                // Nobody gets a handle to dispose: the runner lets the name go itself.
                await runner.ReleaseAsync().ConfigureAwait(false);
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

    /// <summary>
    /// Whatever store returned it, a checkpoint that would bend the count or belongs to another name stops the start:
    /// continuing from it could exceed <see cref="AutomationSpec.MaxRuns"/> or repeat another automation's runs.
    /// </summary>
    private static void EnsureUsable(AutomationCheckpoint checkpoint, IAutomationStateStore store, string name)
    {
        var problem = checkpoint.Name != name ? $"its Name is '{checkpoint.Name}'"
            : checkpoint.RunsCompleted < 0 ? $"its RunsCompleted is {checkpoint.RunsCompleted}"
            : checkpoint.NextDueAt is null && checkpoint.State is AutomationState.Waiting or AutomationState.Running ? $"its NextDueAt is null while its State is {checkpoint.State}"
            : null;
        if (problem is not null)
        {
            throw new InvalidDataException($"The checkpoint {store.GetType().Name} returned for automation '{name}' is not usable: {problem}. The automation does not run until the store's checkpoint is fixed.");
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
        await ReleaseAsync().ConfigureAwait(false);
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
            // A checkpoint's owed run wins: when its time has passed it runs at once, once. A checkpoint without one
            // (written by an automation that failed before its first due time was set) starts the schedule afresh.
            var due = checkpoint?.NextDueAt ?? _schedule!.First(start);
            if (EndOfSchedule(due, now) is { } ended)
            {
                await EndAsync(ended).ConfigureAwait(false);
            }
            else
            {
                _progress.Wait(due!.Value);
                if (await TrySaveAsync().ConfigureAwait(false))
                {
                    _loop = Task.Run(RunLoopAsync);
                }
                else
                {
                    await FinishAsync().ConfigureAwait(false);
                }
            }
        }

        AutomationLog.Started(_logger, _name, _session.ThreadId, _progress.State, _progress.WaitingFor);
    }

    /// <summary>Stopped when no run may come at <paramref name="due"/>: max runs reached, no further point, or at or past StopAt.</summary>
    private AutomationState? EndOfSchedule(DateTimeOffset? due, DateTimeOffset now) =>
        // The same rule AutomationSpec.NextDueTimes applies, so a preview ends where the runs end.
        AutomationSchedule.Ends(_spec, _progress.RunsCompleted, due, now) ? AutomationState.Stopped : null;

    private async Task RunLoopAsync()
    {
        try
        {
            while (_progress.WaitingFor is { } due)
            {
                try
                {
                    await ScheduleClock.WaitUntilAsync(_clock, due, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (_stop.IsCancellationRequested)
                {
                    // StopAsync or DisposeAsync: decided below.
                }

                _abort.Token.ThrowIfCancellationRequested();
                var now = _clock.GetUtcNow();
                if (StopRequested)
                {
                    await EndAsync(AutomationState.Stopped).ConfigureAwait(false);
                }
                else if (EndOfSchedule(due, now) is { } ended)
                {
                    // The clock jumped past StopAt while waiting: no run starts at or after it.
                    await EndAsync(ended).ConfigureAwait(false);
                }
                else
                {
                    await RunOnceAsync(due, now).ConfigureAwait(false);
                }
            }
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

    private async Task RunOnceAsync(DateTimeOffset due, DateTimeOffset startedAt)
    {
        var number = _progress.Start(startedAt);
        _metrics.RunStarted(startedAt - due);
        AutomationLog.RunStarted(_logger, _name, number, due, (startedAt - due).TotalMilliseconds);
        if (!await TrySaveAsync().ConfigureAwait(false))
        {
            await FinishAsync().ConfigureAwait(false);
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
            // Any run error ends the automation (the seed's rule); it is recorded, never thrown at the host.
            error = ex;
        }

        var finishedAt = _clock.GetUtcNow();
        var outcome = error is null ? AutomationRunOutcome.Completed : StopRequested ? AutomationRunOutcome.Interrupted : AutomationRunOutcome.Failed;
        var run = new AutomationRun(_name, number, due, startedAt, finishedAt, result, error, outcome, _session.ThreadId, _turnId);
        if (error is null)
        {
            var next = _schedule!.Next(due, finishedAt);
            _progress.Completed(finishedAt, next);
            _metrics.RunEnded("completed", finishedAt - startedAt);
            AutomationLog.RunCompleted(_logger, _name, number, result!.TurnId, next);
            if (StopRequested)
            {
                await SettleAsync(AutomationState.Stopped).ConfigureAwait(false);
            }
            else if (EndOfSchedule(next, finishedAt) is { } ended)
            {
                await SettleAsync(ended).ConfigureAwait(false);
            }
            else
            {
                _progress.Wait(next!.Value);
                await TrySaveAsync().ConfigureAwait(false);
            }
        }
        else if (StopRequested)
        {
            // The stop interrupted the turn (or codex went away with it): a stop, not a failure. The run is owed.
            _progress.NotCompleted(finishedAt);
            _metrics.RunEnded("interrupted", finishedAt - startedAt);
            await SettleAsync(AutomationState.Stopped).ConfigureAwait(false);
        }
        else
        {
            _progress.NotCompleted(finishedAt);
            _metrics.RunEnded("failed", finishedAt - startedAt);
            AutomationLog.RunFailed(_logger, error, _name, number);
            await SettleAsync(AutomationState.Failed, $"Run {number} failed: {error.GetType().Name}: {error.Message}").ConfigureAwait(false);
        }

        // Readers and handlers see the run with its outcome already in the status and the store; the end comes after it.
        await _history.RecordAsync(run).ConfigureAwait(false);
        Publish(run);
        if (_progress.State is AutomationState.Stopped or AutomationState.Failed)
        {
            await FinishAsync().ConfigureAwait(false);
        }
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
                interrupt = _stopRequested;
            }

            try
            {
                if (interrupt)
                {
                    // StopAsync came while turn/start was in flight: it could not see this turn.
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
        await TrySaveAsync().ConfigureAwait(false);
        AutomationLog.Ended(_logger, _name, _progress.State, _progress.RunsCompleted);
    }

    /// <summary>
    /// The name is let go on the store, then readers of the runs end and <see cref="Completion"/> completes with the
    /// final status: whoever awaits the end can start the automation again at once.
    /// </summary>
    private async Task FinishAsync()
    {
        await ReleaseAsync().ConfigureAwait(false);
        Runs.Complete();
        _completion.TrySetResult(_progress.Snapshot());
    }

    /// <summary>Disposes the store's lease once (at the end, or at dispose when the loop never finished).</summary>
    private async ValueTask ReleaseAsync()
    {
        if (Interlocked.Exchange(ref _lease, null) is not { } lease)
        {
            return;
        }

        try
        {
            await lease.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The automation has ended either way; an owner that cannot let go stays the owner until its process ends.
            AutomationLog.ReleaseFailed(_logger, ex, _name);
        }
    }

    /// <summary>Saves the checkpoint; a failed save ends the automation as Failed (it could no longer promise no skipped or doubled run).</summary>
    private async Task<bool> TrySaveAsync()
    {
        if (_store is null)
        {
            return true;
        }

        try
        {
            await _store.SaveAsync(_progress.Checkpoint(), CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex)
        {
            // Whatever a store throws: an automation never crashes its host once running.
            AutomationLog.SaveFailed(_logger, ex, _name);
            if (_progress.State is not (AutomationState.Stopped or AutomationState.Failed))
            {
                _progress.End(AutomationState.Failed, $"Saving the checkpoint failed: {ex.GetType().Name}: {ex.Message}");
                AutomationLog.Ended(_logger, _name, AutomationState.Failed, _progress.RunsCompleted);
            }

            return false;
        }
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
