namespace CodexRuntime.Automation;

/// <summary>A snapshot of an automation (the seed's status).</summary>
/// <param name="Name">The automation's name (its key in a state store, its tag in metrics).</param>
/// <param name="ThreadId">The session's thread: every run is a turn of it.</param>
/// <param name="RunsCompleted">Runs that completed (counted across restarts with a state store); a failed or interrupted run does not count.</param>
/// <param name="NextDueAt">When the next run is due (while a run is in flight, that run's due time); null once the automation ended.</param>
/// <param name="LastStartedAt">When the last run started.</param>
/// <param name="LastFinishedAt">When the last run ended, whatever its outcome.</param>
/// <param name="State">Waiting, Running, Stopped or Failed.</param>
/// <param name="LastError">Why the automation failed (exception type and message); null unless <see cref="AutomationState.Failed"/> or carried from a failed earlier process by the state store.</param>
public sealed record AutomationStatus(
    string Name,
    string? ThreadId,
    int RunsCompleted,
    DateTimeOffset? NextDueAt,
    DateTimeOffset? LastStartedAt,
    DateTimeOffset? LastFinishedAt,
    AutomationState State,
    string? LastError)
{
    /// <summary>True once the automation ended (<see cref="AutomationState.Stopped"/> or <see cref="AutomationState.Failed"/>).</summary>
    public bool IsEnded => State is AutomationState.Stopped or AutomationState.Failed;
}
