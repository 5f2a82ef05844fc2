namespace CodexRuntime.Automation;

/// <summary>The options of one hosted automation (named options, the automation's name): its session and where it keeps its schedule.</summary>
public sealed class AutomationHostOptions
{
    /// <summary>How the automation's session opens (cwd, profile, instructions): started, or resumed from the stored thread. Required.</summary>
    public SessionConfig? Session { get; set; }

    /// <summary>Keeps the schedule and the thread id across host restarts (<see cref="JsonFileAutomationStateStore"/> for a file); none when null, so every start begins afresh on a new thread.</summary>
    public IAutomationStateStore? StateStore { get; set; }

    /// <summary>The clock; the container's <see cref="TimeProvider"/>, else <see cref="TimeProvider.System"/>, when null.</summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>
    /// How often a replica that another process's ownership of the name refused (<see cref="AutomationState.Standby"/>)
    /// tries again; 5 seconds by default. Taking over after the owner went away takes up to this long (plus the owed
    /// run's lateness), so a shorter interval fails over faster at the cost of one lock attempt per interval.
    /// </summary>
    public TimeSpan StandbyPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many finished runs the state store's run history keeps (see <see cref="AutomationOptions.RunHistoryLimit"/>): 1,000 by default; 0 keeps none.</summary>
    public int RunHistoryLimit { get; set; } = 1000;

    /// <summary>Runs older than this are dropped from the run history (see <see cref="AutomationOptions.RunHistoryMaxAge"/>); null keeps them whatever their age.</summary>
    public TimeSpan? RunHistoryMaxAge { get; set; }
}
