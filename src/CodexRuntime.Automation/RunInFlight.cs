using Microsoft.Extensions.Logging;

namespace CodexRuntime.Automation;

/// <summary>
/// The run in flight of one automation, behind one lock: which run it is (claimed from the progress), its turn once
/// codex names it, and the stop or cancel asked while it runs. A stop or cancel that comes while <c>turn/start</c> is
/// still in flight cannot see the turn; the run interrupts it as soon as codex names it.
/// </summary>
internal sealed class RunInFlight(CodexSession session, string prompt, CancellationToken abort, string name, ILogger logger)
{
    private readonly Lock _gate = new();
    private bool _stopRequested;
    private bool _cancelRequested;
    private TaskCompletionSource? _runEnded;
    private CodexTurn? _turn;
    private string? _turnId;

    /// <summary>True once the automation was asked to stop; a stop is never taken back.</summary>
    public bool StopRequested
    {
        get
        {
            lock (_gate)
            {
                return _stopRequested;
            }
        }
    }

    /// <summary>The turn of the current (or last) run; null while codex has not named it, or when <c>turn/start</c> failed.</summary>
    public string? TurnId
    {
        get
        {
            lock (_gate)
            {
                return _turnId;
            }
        }
    }

    /// <summary>
    /// Starts the planned run on <paramref name="progress"/> and makes it the run in flight; null when the plan went
    /// out of date (a control action came in between). Claimed under this lock so a cancel sees either no run or this one.
    /// </summary>
    public int? TryBegin(AutomationProgress progress, RunPlan plan, DateTimeOffset startedAt)
    {
        lock (_gate)
        {
            var started = progress.TryStart(plan, startedAt);
            if (started is not null)
            {
                _cancelRequested = false;
                _turnId = null;
                _runEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            return started;
        }
    }

    /// <summary>The run ended (recorded, published): no cancel finds it any more, and a cancel waiting for it returns.</summary>
    public void End()
    {
        TaskCompletionSource? runEnded;
        lock (_gate)
        {
            runEnded = _runEnded;
            _runEnded = null;
        }

        runEnded?.TrySetResult();
    }

    /// <summary>Records the stop; returns the turn in flight to interrupt, if codex has named one.</summary>
    public CodexTurn? RequestStop()
    {
        lock (_gate)
        {
            _stopRequested = true;
            return _turn;
        }
    }

    /// <summary>
    /// Records a cancel of the run in flight; returns its turn to interrupt (if named yet) and a task that completes
    /// when the run ended. Null when no run is in flight.
    /// </summary>
    public (CodexTurn? Turn, Task Ended)? RequestCancel()
    {
        lock (_gate)
        {
            if (_runEnded is null)
            {
                return null;
            }

            _cancelRequested = true;
            return (_turn, _runEnded.Task);
        }
    }

    /// <summary>
    /// How the run that just ended ended, from its <paramref name="error"/> and what was asked while it ran. Read once,
    /// so the outcome recorded and what follows it agree. A stop wins over a cancel: the automation ends and the run
    /// stays owed. A turn that completed before codex took the interrupt counts as completed.
    /// </summary>
    public AutomationRunOutcome OutcomeOf(Exception? error)
    {
        lock (_gate)
        {
            return error is null ? AutomationRunOutcome.Completed
                : _stopRequested ? AutomationRunOutcome.Interrupted
                : _cancelRequested ? AutomationRunOutcome.Cancelled
                : AutomationRunOutcome.Failed;
        }
    }

    /// <summary>One turn on the session; its events are read to the end so approvals are answered by the profile's policy at once.</summary>
    public async Task<PromptRunResult> AskAsync()
    {
        var turn = await session.AskStreamingAsync(prompt, abort).ConfigureAwait(false);
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
                    // A stop or cancel came while turn/start was in flight: it could not see this turn.
                    await InterruptAsync(turn, CancellationToken.None).ConfigureAwait(false);
                }

                await foreach (var _ in turn.WithCancellation(abort).ConfigureAwait(false))
                {
                    // The result comes from the runtime's state, not from the events.
                }

                return await turn.GetResultAsync(abort).ConfigureAwait(false);
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

    /// <summary>Asks codex to interrupt <paramref name="turn"/>; a refusal is logged, the caller waits for the run to end either way.</summary>
    public async Task InterruptAsync(CodexTurn turn, CancellationToken cancellationToken)
    {
        try
        {
            await turn.InterruptAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (CodexException ex)
        {
            // Usually the turn ended just before the interrupt arrived; the stop waits for the run to end either way.
            AutomationLog.InterruptFailed(logger, name, turn.TurnId, ex.Message);
        }
    }
}
