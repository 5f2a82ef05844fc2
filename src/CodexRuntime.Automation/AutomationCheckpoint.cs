namespace CodexRuntime.Automation;

/// <summary>
/// An automation's progress as a state store keeps it: enough for a restarted process to continue the schedule
/// without skipping or doubling a due run.
/// </summary>
/// <param name="Name">The automation's name (the store's key).</param>
/// <param name="ThreadId">The session's thread, so a host can resume it.</param>
/// <param name="RunsCompleted">Completed runs so far (what <see cref="AutomationSpec.MaxRuns"/> counts).</param>
/// <param name="NextDueAt">
/// The next run a restarted automation owes: the schedule point after the last completed run, or the point of a run
/// that started but did not complete (a crash, a failure, a stop that interrupted it), which is then run again. When it
/// is already past at restart, <see cref="AutomationSpec.MissedRuns"/> decides (by default that one run starts at once,
/// however many points passed meanwhile). Null when the schedule has no further point. A run-now does not change it.
/// </param>
/// <param name="Anchor">Where an interval schedule is anchored (the first run's due time); null for cron.</param>
/// <param name="LastStartedAt">When the last run started.</param>
/// <param name="LastFinishedAt">When the last run ended.</param>
/// <param name="State">The state when this was written (informational: a restart continues the schedule whatever it was).</param>
/// <param name="LastError">The last failure, if any.</param>
/// <param name="Paused">Paused by <see cref="AutomationHandle.PauseAsync"/>: a restarted automation stays paused (no run) until resumed.</param>
/// <param name="SkipsPending">Skips asked for while a scheduled run was in flight, applied to the point after it.</param>
/// <param name="FailedAttempts">Failed attempts of the owed run (<see cref="AutomationSpec.Retry"/>), so a restart does not reset them.</param>
/// <param name="RetryAt">When the failed run is tried again; null when no retry is waiting.</param>
/// <param name="RunNowAt">When a run-now that has not completed was requested (queued or in flight): a restart owes it first.</param>
public sealed record AutomationCheckpoint(
    string Name,
    string? ThreadId,
    int RunsCompleted,
    DateTimeOffset? NextDueAt,
    DateTimeOffset? Anchor,
    DateTimeOffset? LastStartedAt,
    DateTimeOffset? LastFinishedAt,
    AutomationState State,
    string? LastError,
    bool Paused = false,
    int SkipsPending = 0,
    int FailedAttempts = 0,
    DateTimeOffset? RetryAt = null,
    DateTimeOffset? RunNowAt = null);
