using CodexRuntime.Automation.Persistence;

namespace CodexRuntime.Automation;

/// <summary>
/// What an automation has done and owes, behind one lock: the status fields, the run a restart owes
/// (<see cref="AutomationCheckpoint.NextDueAt"/>) and the interval anchor. It decides nothing about time; the runner
/// tells it what happened.
/// </summary>
internal sealed class AutomationProgress
{
    private readonly Lock _gate = new();
    private readonly string _name;
    private readonly Func<string> _threadId;
    private int _runsCompleted;
    private DateTimeOffset? _nextDue;
    private DateTimeOffset? _owedDue;
    private DateTimeOffset? _lastStarted;
    private DateTimeOffset? _lastFinished;
    private AutomationState _state = AutomationState.Waiting;
    private string? _lastError;

    public AutomationProgress(string name, Func<string> threadId, AutomationCheckpoint? checkpoint, DateTimeOffset? anchor)
    {
        _name = name;
        _threadId = threadId;
        Anchor = anchor;
        if (checkpoint is not null)
        {
            // Facts carry over; the state and the last error belong to the process that wrote them.
            _runsCompleted = checkpoint.RunsCompleted;
            _owedDue = checkpoint.NextDueAt;
            _lastStarted = checkpoint.LastStartedAt;
            _lastFinished = checkpoint.LastFinishedAt;
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

    /// <summary>The due time of the waiting run; null when not waiting.</summary>
    public DateTimeOffset? WaitingFor
    {
        get
        {
            lock (_gate)
            {
                return _state == AutomationState.Waiting ? _nextDue : null;
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

    public void Wait(DateTimeOffset due)
    {
        lock (_gate)
        {
            _state = AutomationState.Waiting;
            _nextDue = due;
            _owedDue = due;
        }
    }

    /// <summary>A run starts; returns its number.</summary>
    public int Start(DateTimeOffset startedAt)
    {
        lock (_gate)
        {
            // NextDueAt keeps the due time of the run in flight. The seed clears next_due_at while a run is in flight
            // (its loop only computes the next point once the run ends, because the ticks the run overlaps collapse);
            // here it keeps naming the point being run, so a status read mid-run shows which run it is and how late
            // it started, and the checkpoint keeps the same value as the run a restart owes.
            _state = AutomationState.Running;
            _lastStarted = startedAt;
            return _runsCompleted + 1;
        }
    }

    /// <summary>A run completed: it counts, and the schedule moves on to <paramref name="next"/>.</summary>
    public void Completed(DateTimeOffset finishedAt, DateTimeOffset? next)
    {
        lock (_gate)
        {
            _runsCompleted++;
            _lastFinished = finishedAt;
            _owedDue = next;
        }
    }

    /// <summary>A run ended without completing: the schedule stays on its point, which a restart owes.</summary>
    public void NotCompleted(DateTimeOffset finishedAt)
    {
        lock (_gate)
        {
            _lastFinished = finishedAt;
        }
    }

    public void End(AutomationState state, string? error = null)
    {
        lock (_gate)
        {
            _state = state;
            _nextDue = null;
            if (error is not null)
            {
                _lastError = error;
            }
        }
    }

    public AutomationStatus Snapshot()
    {
        var threadId = _threadId();
        lock (_gate)
        {
            return new AutomationStatus(_name, threadId, _runsCompleted, _nextDue, _lastStarted, _lastFinished, _state, _lastError);
        }
    }

    public AutomationCheckpoint Checkpoint()
    {
        var threadId = _threadId();
        lock (_gate)
        {
            return new AutomationCheckpoint(_name, threadId, _runsCompleted, _owedDue, Anchor, _lastStarted, _lastFinished, _state, _lastError);
        }
    }
}
