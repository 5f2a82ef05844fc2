using System.Text.Json.Serialization;

namespace CodexRuntime.Automation;

/// <summary>
/// Where an automation is: the seed's four states, <see cref="Paused"/>, and <see cref="Standby"/> for a hosted replica
/// that does not own the name. New states come last so the values of the earlier ones never change.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<AutomationState>))]
public enum AutomationState
{
    /// <summary>Waiting for the next run to come due.</summary>
    Waiting,

    /// <summary>A run (one turn) is in flight.</summary>
    Running,

    /// <summary>Ended without error: stopped by the caller or the host, <see cref="AutomationSpec.MaxRuns"/> reached, or no schedule point before <see cref="AutomationSpec.StopAt"/>.</summary>
    Stopped,

    /// <summary>Ended by an error (a run failed, the session was closed, the spec's interval was not positive); see <see cref="AutomationStatus.LastError"/>.</summary>
    Failed,

    /// <summary>
    /// Paused by <see cref="AutomationHandle.PauseAsync"/> (kept across restarts): no run starts until
    /// <see cref="AutomationHandle.ResumeAsync"/>; <see cref="AutomationStatus.NextDueAt"/> is the point the schedule
    /// stands at. Not an end.
    /// </summary>
    Paused,

    /// <summary>
    /// Hosted only (<c>AddAutomation</c>): another process owns the automation's name on the state store, so this host
    /// does not run it; it tries again every <c>AutomationHostOptions.StandbyPollInterval</c> and takes over when the
    /// owner lets go (it stopped, or its process ended). Not an end.
    /// </summary>
    Standby,
}
