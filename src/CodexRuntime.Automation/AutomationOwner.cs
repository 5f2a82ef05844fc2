using System.Diagnostics;
using System.Globalization;

namespace CodexRuntime.Automation;

/// <summary>
/// The process that owns an automation's name on a state store: its host, process id and process start time (the start
/// time tells a reused process id apart from the owner).
/// </summary>
/// <param name="HostName">The machine the owner runs on (<see cref="Environment.MachineName"/>).</param>
/// <param name="ProcessId">The owner's process id.</param>
/// <param name="ProcessStartedAt">When the owner's process started.</param>
public sealed record AutomationOwner(string HostName, int ProcessId, DateTimeOffset ProcessStartedAt)
{
    /// <summary>This process.</summary>
    public static AutomationOwner Current { get; } = Describe();

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"process {ProcessId} on host '{HostName}', started {ProcessStartedAt:O}");

    private static AutomationOwner Describe()
    {
        using var process = Process.GetCurrentProcess();
        return new AutomationOwner(Environment.MachineName, Environment.ProcessId, new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero));
    }
}
