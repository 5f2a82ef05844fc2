using System.Text.Json.Serialization;

namespace CodexRuntime.Automation;

/// <summary>How a run of an automation ended (<see cref="AutomationRun.Outcome"/>, and the persisted run history).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AutomationRunOutcome>))]
public enum AutomationRunOutcome
{
    /// <summary>The turn completed with an answer; the run counts towards <see cref="AutomationSpec.MaxRuns"/>.</summary>
    Completed,

    /// <summary>The run failed (a failed turn, an empty answer, a timeout, codex gone, the session closed); the automation ends <see cref="AutomationState.Failed"/>.</summary>
    Failed,

    /// <summary>A stop (<see cref="AutomationHandle.StopAsync"/>, a host stop) interrupted the run; the run is owed, so a restart runs it again.</summary>
    Interrupted,

    /// <summary>The run alone was cancelled and the automation went on with its schedule; the run does not count as completed.</summary>
    Cancelled,
}
