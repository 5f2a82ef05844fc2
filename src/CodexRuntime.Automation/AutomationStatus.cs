namespace CodexRuntime.Automation;

/// <summary>A snapshot of an automation (the seed's status).</summary>
/// <param name="Name">The automation's name (its key in a state store, its tag in metrics).</param>
/// <param name="ThreadId">The session's thread: every run is a turn of it.</param>
/// <param name="RunsCompleted">Runs that completed (counted across restarts with a state store); a failed or interrupted run does not count.</param>
/// <param name="NextDueAt">When the next scheduled run is due (while a scheduled run is in flight, that run's due time; while paused, the point the schedule stands at); null once the automation ended. A run-now does not change it.</param>
/// <param name="LastStartedAt">When the last run started.</param>
/// <param name="LastFinishedAt">When the last run ended, whatever its outcome.</param>
/// <param name="State">Waiting, Running, Paused, Stopped or Failed.</param>
/// <param name="LastError">Why the automation failed (exception type and message); null unless <see cref="AutomationState.Failed"/> or carried from a failed earlier process by the state store.</param>
/// <param name="IsPaused">True from <see cref="AutomationHandle.PauseAsync"/> until <see cref="AutomationHandle.ResumeAsync"/>, also while the run that was in flight at the pause finishes (<see cref="State"/> is then Running).</param>
/// <param name="FailedAttempts">Failed attempts of the run now owed (with <see cref="AutomationSpec.Retry"/>); 0 when none failed.</param>
/// <param name="RetryAt">When the failed run is tried again; null when no retry is waiting.</param>
/// <param name="RunNowRequestedAt">When the run-now that is queued or in flight was requested (<see cref="AutomationHandle.RunNowAsync"/>); null when none.</param>
public sealed record AutomationStatus(
    string Name,
    string? ThreadId,
    int RunsCompleted,
    DateTimeOffset? NextDueAt,
    DateTimeOffset? LastStartedAt,
    DateTimeOffset? LastFinishedAt,
    AutomationState State,
    string? LastError,
    bool IsPaused = false,
    int FailedAttempts = 0,
    DateTimeOffset? RetryAt = null,
    DateTimeOffset? RunNowRequestedAt = null)
{
    /// <summary>True once the automation ended (<see cref="AutomationState.Stopped"/> or <see cref="AutomationState.Failed"/>).</summary>
    public bool IsEnded => State is AutomationState.Stopped or AutomationState.Failed;
}
