using System.Diagnostics.Metrics;
using CodexRuntime.Automation.Persistence;
using Microsoft.Extensions.Logging;

namespace CodexRuntime.Automation;

/// <summary>How an automation runs beyond its <see cref="AutomationSpec"/>: its name, its clock, where it keeps its schedule, logging and metrics.</summary>
public sealed class AutomationOptions
{
    /// <summary>
    /// The longest <see cref="Name"/>, in UTF-16 code units (<see cref="string.Length"/>): 256. Any valid Unicode name up
    /// to it works with every state store on every OS; a longer one, or one with an unpaired surrogate, is refused at start.
    /// </summary>
    public const int MaxNameLength = 256;

    /// <summary>The automation's name: its key in <see cref="StateStore"/>, its tag in metrics and logs. <c>automation</c> by default.</summary>
    public string Name { get; set; } = "automation";

    /// <summary>The clock every schedule decision reads (a <c>FakeTimeProvider</c> in tests); <see cref="TimeProvider.System"/> when null.</summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>
    /// Where the schedule's progress is kept (<see cref="JsonFileAutomationStateStore"/> for a file). With a store, a
    /// restarted automation of the same name neither skips nor doubles a due run; without one it starts afresh. While
    /// it runs, the automation owns its name on the store: a second start of the same name is refused.
    /// </summary>
    public IAutomationStateStore? StateStore { get; set; }

    /// <summary>Logging (runs at Debug, failures at Warning; prompt text is never logged). None when null.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Creates the <c>CodexRuntime.Automation</c> meter (runs, failures, run duration, lateness); a meter of the automation's own when null.</summary>
    public IMeterFactory? MeterFactory { get; set; }
}
