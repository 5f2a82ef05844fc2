namespace CodexRuntime.Automation;

/// <summary>
/// What an automation has done and owes, behind one lock: the status fields, the run a restart owes
/// (<see cref="AutomationCheckpoint.NextDueAt"/>), the interval anchor, and what the control actions left (pause,
/// pending skips, a queued run-now, a waiting retry). It decides nothing about time: the runner and the handle's
/// actions tell it what happened, passing the schedule's arithmetic as functions. Every change wakes the loop
/// (<see cref="RunPlan.Changed"/>) so it plans again.
/// </summary>
internal sealed class AutomationProgress
{
    private readonly Lock _gate = new();
    private readonly string _name;
    private readonly Func<string> _threadId;
    private int _runsCompleted;
    private DateTimeOffset? _owedDue;
    private DateTimeOffset? _lastStarted;
    private DateTimeOffset? _lastFinished;
    private AutomationState _state = AutomationState.Waiting;
    private string? _lastError;
    private bool _paused;
    private int _skipsPending;
    private int _failedAttempts;
    private DateTimeOffset? _retryAt;
    private DateTimeOffset? _runNowAt;
    private bool _inFlightRunNow;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public AutomationProgress(string name, Func<string> threadId, AutomationCheckpoint? checkpoint, DateTimeOffset? anchor)
    {
        _name = name;
        _threadId = threadId;
        Anchor = anchor;
        if (checkpoint is not null)
        {
            // Facts carry over; the state and the last error belong to the process that wrote them. What the control
            // actions left carries over too: a pause, a skip, a retry's attempts and time, a run-now not yet completed.
            _runsCompleted = checkpoint.RunsCompleted;
            _owedDue = checkpoint.NextDueAt;
            _lastStarted = checkpoint.LastStartedAt;
            _lastFinished = checkpoint.LastFinishedAt;
            _paused = checkpoint.Paused;
            _skipsPending = checkpoint.SkipsPending;
            _failedAttempts = checkpoint.FailedAttempts;
            _retryAt = checkpoint.RetryAt;
            _runNowAt = checkpoint.RunNowAt;
        }
    }

    public DateTimeOffset? Anchor { get; }

    public int RunsCompleted
    {
        get
        {
            lock (_gate)
            {
                return _runsCompleted;
            }
        }
    }

    public AutomationState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    public bool IsEnded
    {
        get
        {
            lock (_gate)
            {
                return IsEndedLocked;
            }
        }
    }

    /// <summary>The owed scheduled point (what the status shows as next due).</summary>
    public DateTimeOffset? OwedDue
    {
        get
        {
            lock (_gate)
            {
                return _owedDue;
            }
        }
    }

    /// <summary>Failed attempts of the owed run so far.</summary>
    public int FailedAttempts
    {
        get
        {
            lock (_gate)
            {
                return _failedAttempts;
            }
        }
    }

    private bool IsEndedLocked => _state is AutomationState.Stopped or AutomationState.Failed;

    /// <summary>What the loop does next, and the signal that this plan went out of date.</summary>
    public RunPlan Plan()
    {
        lock (_gate)
        {
            // A waiting retry comes first (it is the owed run: of the run-now when one is pending, else of the point);
            // then a run-now; then the schedule.
            return _retryAt is { } retryAt ? new RunPlan(_paused, retryAt, _runNowAt ?? _owedDue, _runNowAt is not null, _changed.Task)
                : _runNowAt is { } runNowAt ? new RunPlan(_paused, runNowAt, runNowAt, true, _changed.Task)
                : new RunPlan(_paused, _owedDue, _owedDue, false, _changed.Task);
        }
    }

    /// <summary>The owed point the schedule continues from at start (the checkpoint's, else the first point); settled by the missed-run rule.</summary>
    public void Begin(DateTimeOffset? due)
    {
        lock (_gate)
        {
            _state = AutomationState.Waiting;
            _owedDue = due;
            ChangedLocked();
        }
    }

    /// <summary>Starts the planned run unless the plan went out of date (a control action came in between); returns its number.</summary>
    public int? TryStart(RunPlan plan, DateTimeOffset startedAt)
    {
        lock (_gate)
        {
            if (plan.Changed != _changed.Task || _paused || _state != AutomationState.Waiting)
            {
                return null;
            }

            // NextDueAt keeps the due time of the run in flight. The seed clears next_due_at while a run is in flight
            // (its loop only computes the next point once the run ends, because the ticks the run overlaps collapse);
            // here it keeps naming the point being run, so a status read mid-run shows which run it is and how late
            // it started, and the checkpoint keeps the same value as the run a restart owes.
            _state = AutomationState.Running;
            _inFlightRunNow = plan.RunNow;
            _lastStarted = startedAt;
            return _runsCompleted + 1;
        }
    }

    /// <summary>
    /// The run in flight completed: it counts. A scheduled run moves the schedule to <paramref name="next"/> (then past
    /// the skips asked for meanwhile, with <paramref name="following"/>); a run-now leaves it where it was.
    /// </summary>
    public void Completed(DateTimeOffset finishedAt, Func<DateTimeOffset?> next, Func<DateTimeOffset, DateTimeOffset?> following)
    {
        lock (_gate)
        {
            _runsCompleted++;
            MoveOnLocked(finishedAt, next, following);
        }
    }

    /// <summary>The run in flight was cancelled: not counted, not a failure; it is not owed, the schedule moves on as after a completed run.</summary>
    public void Cancelled(DateTimeOffset finishedAt, Func<DateTimeOffset?> next, Func<DateTimeOffset, DateTimeOffset?> following)
    {
        lock (_gate)
        {
            MoveOnLocked(finishedAt, next, following);
        }
    }

    /// <summary>
    /// The run in flight failed and is tried again at <paramref name="retryAt"/> (same point, or same run-now). A
    /// run-now queued behind a failed scheduled run becomes that retry, at once.
    /// </summary>
    public void RetryLater(DateTimeOffset finishedAt, DateTimeOffset retryAt)
    {
        lock (_gate)
        {
            _lastFinished = finishedAt;
            _failedAttempts++;
            if (!_inFlightRunNow && _runNowAt is not null)
            {
                // The queued run-now would ask the same prompt as the retry: it brings the retry forward instead.
                _runNowAt = null;
                retryAt = finishedAt;
            }

            _retryAt = retryAt;
            _state = AutomationState.Waiting;
            ChangedLocked();
        }
    }

    /// <summary>
    /// A stop interrupted the run: it stays owed for a restart. An interrupted retry is no failed attempt; it stays a
    /// retry, due at once, so a restart neither resets the attempts nor passes it to the missed-run policy.
    /// </summary>
    public void Interrupted(DateTimeOffset finishedAt)
    {
        lock (_gate)
        {
            _lastFinished = finishedAt;
            if (_failedAttempts > 0)
            {
                _retryAt = finishedAt;
            }
        }
    }

    /// <summary>The last attempt failed and the automation ends: the run stays owed for a restart, with fresh attempts.</summary>
    public void NotCompleted(DateTimeOffset finishedAt)
    {
        lock (_gate)
        {
            _lastFinished = finishedAt;
            // A restart is the operator's retry: it starts with all its attempts.
            _failedAttempts = 0;
            _retryAt = null;
        }
    }

    public void End(AutomationState state, string? error = null)
    {
        lock (_gate)
        {
            _state = state;
            if (error is not null)
            {
                _lastError = error;
            }

            ChangedLocked();
        }
    }

    /// <summary>Pauses; false when the automation has ended. A second pause changes nothing.</summary>
    public bool Pause()
    {
        lock (_gate)
        {
            if (IsEndedLocked)
            {
                return false;
            }

            _paused = true;
            ChangedLocked();
            return true;
        }
    }

    /// <summary>
    /// Resumes; false when the automation has ended. The owed point, when it passed while paused and no run or retry is
    /// pending, goes through the missed-run rule (<paramref name="settle"/>) as after a restart.
    /// </summary>
    public bool Resume(Func<DateTimeOffset, DateTimeOffset?> settle)
    {
        lock (_gate)
        {
            if (IsEndedLocked)
            {
                return false;
            }

            if (_paused && _state == AutomationState.Waiting && _retryAt is null && _owedDue is { } owed)
            {
                _owedDue = settle(owed);
            }

            _paused = false;
            ChangedLocked();
            return true;
        }
    }

    /// <summary>
    /// Skips the next scheduled point: at once (<paramref name="following"/>), or after the scheduled run in flight. A
    /// retry waiting for that point is dropped with it. False when the automation has ended.
    /// </summary>
    public bool Skip(Func<DateTimeOffset, DateTimeOffset?> following)
    {
        lock (_gate)
        {
            if (IsEndedLocked)
            {
                return false;
            }

            if (_state == AutomationState.Running && !_inFlightRunNow)
            {
                _skipsPending++;
            }
            else if (_owedDue is { } owed)
            {
                if (_runNowAt is null && _retryAt is not null)
                {
                    _retryAt = null;
                    _failedAttempts = 0;
                }

                _owedDue = following(owed);
            }

            ChangedLocked();
            return true;
        }
    }

    /// <summary>Asks for a run now; returns null when accepted, else why it is refused (the handle throws it).</summary>
    public RunNowAnswer RequestRunNow(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (IsEndedLocked)
            {
                return RunNowAnswer.Ended;
            }

            if (_paused)
            {
                return RunNowAnswer.Paused;
            }

            if (_runNowAt is not null)
            {
                return RunNowAnswer.AlreadyPending;
            }

            if (_retryAt is not null)
            {
                // The owed run is a failed one waiting for its retry: run that retry now rather than the prompt twice.
                _retryAt = now;
                ChangedLocked();
                return RunNowAnswer.RetryBroughtForward;
            }

            _runNowAt = now;
            ChangedLocked();
            return _state == AutomationState.Running ? RunNowAnswer.Queued : RunNowAnswer.Accepted;
        }
    }

    public AutomationStatus Snapshot()
    {
        var threadId = _threadId();
        lock (_gate)
        {
            return new AutomationStatus(_name, threadId, _runsCompleted, IsEndedLocked ? null : _owedDue, _lastStarted, _lastFinished, ShownState, _lastError,
                _paused, _failedAttempts, _retryAt, _runNowAt);
        }
    }

    public AutomationCheckpoint Checkpoint()
    {
        var threadId = _threadId();
        lock (_gate)
        {
            return new AutomationCheckpoint(_name, threadId, _runsCompleted, _owedDue, Anchor, _lastStarted, _lastFinished, ShownState, _lastError,
                _paused, _skipsPending, _failedAttempts, _retryAt, _runNowAt);
        }
    }

    /// <summary>Paused shows once no run is in flight; the loop's own states stay Waiting/Running.</summary>
    private AutomationState ShownState => _paused && _state == AutomationState.Waiting ? AutomationState.Paused : _state;

    private void MoveOnLocked(DateTimeOffset finishedAt, Func<DateTimeOffset?> next, Func<DateTimeOffset, DateTimeOffset?> following)
    {
        _lastFinished = finishedAt;
        _failedAttempts = 0;
        _retryAt = null;
        if (_inFlightRunNow)
        {
            // Run-now does not move the schedule.
            _runNowAt = null;
        }
        else
        {
            var point = next();
            for (; _skipsPending > 0 && point is { } p; _skipsPending--)
            {
                point = following(p);
            }

            _skipsPending = 0;
            _owedDue = point;
        }

        _state = AutomationState.Waiting;
        ChangedLocked();
    }

    private void ChangedLocked()
    {
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }
}
