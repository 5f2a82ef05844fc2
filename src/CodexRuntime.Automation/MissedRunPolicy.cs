using System.Text.Json.Serialization;

namespace CodexRuntime.Automation;

/// <summary>
/// What an automation does with schedule points that passed without a run: while a run was in flight, while it was
/// paused, while its process was down (a restart with a past due time), or after a cancelled run.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<MissedRunPolicy>))]
public enum MissedRunPolicy
{
    /// <summary>
    /// The seed's rule (the default): points that passed while the automation could not start them collapse into one
    /// run at once (due at the first missed point, so its lateness shows the gap); points that passed while a run was
    /// in flight collapse into the next point after the run ended (the run in flight was their one run).
    /// </summary>
    RunOnce,

    /// <summary>Missed points are not run: the automation goes on at the first point after now.</summary>
    Skip,

    /// <summary>
    /// Every missed point runs, one after the other, but at most <see cref="AutomationSpec.MaxCatchUpRuns"/> of them: the
    /// newest ones (older points beyond that bound are dropped); then the schedule goes on.
    /// </summary>
    RunEach,
}
