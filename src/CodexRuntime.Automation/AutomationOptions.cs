using System.Diagnostics.Metrics;
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

    private int _runHistoryLimit = 1000;
    private TimeSpan? _runHistoryMaxAge;

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

    /// <summary>
    /// How many finished runs the state store's run history keeps for this automation (the newest; older ones are
    /// dropped as new ones are added): 1,000 by default; 0 keeps none. Without a <see cref="StateStore"/> nothing is kept
    /// beyond the handle's <see cref="AutomationHandle.ReadRunsAsync"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to less than 0.</exception>
    public int RunHistoryLimit
    {
        get => _runHistoryLimit;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(RunHistoryLimit));
            _runHistoryLimit = value;
        }
    }

    /// <summary>
    /// Runs of the run history that finished longer than this before the newest run are dropped when a run is added;
    /// null (the default) keeps them whatever their age, up to <see cref="RunHistoryLimit"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to zero or less.</exception>
    public TimeSpan? RunHistoryMaxAge
    {
        get => _runHistoryMaxAge;
        set
        {
            if (value <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(RunHistoryMaxAge), value, "RunHistoryMaxAge must be greater than zero, or null to keep runs whatever their age.");
            }

            _runHistoryMaxAge = value;
        }
    }

    /// <summary>Logging (runs at Debug, failures at Warning; prompt text is never logged). None when null.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Creates the <c>CodexRuntime.Automation</c> meter (runs, failures, run duration, lateness); a meter of the automation's own when null.</summary>
    public IMeterFactory? MeterFactory { get; set; }
}
