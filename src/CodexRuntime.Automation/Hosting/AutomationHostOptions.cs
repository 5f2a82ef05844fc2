using CodexRuntime.Automation.Persistence;

namespace CodexRuntime.Automation.Hosting;

/// <summary>The options of one hosted automation (named options, the automation's name): its session and where it keeps its schedule.</summary>
public sealed class AutomationHostOptions
{
    /// <summary>How the automation's session opens (cwd, profile, instructions): started, or resumed from the stored thread. Required.</summary>
    public SessionConfig? Session { get; set; }

    /// <summary>Keeps the schedule and the thread id across host restarts (<see cref="JsonFileAutomationStateStore"/> for a file); none when null, so every start begins afresh on a new thread.</summary>
    public IAutomationStateStore? StateStore { get; set; }

    /// <summary>The clock; the container's <see cref="TimeProvider"/>, else <see cref="TimeProvider.System"/>, when null.</summary>
    public TimeProvider? TimeProvider { get; set; }
}
