using CodexRuntime.Automation.Scheduling;

namespace CodexRuntime.Automation;

/// <summary>The occurrences of a cron expression in its time zone (Cronos does the daylight-saving arithmetic).</summary>
internal sealed class CronSchedule(AutomationCron cron) : IAutomationSchedule
{
    public DateTimeOffset? First(DateTimeOffset start) => cron.Next(start, inclusive: true);

    // Strictly after both: an occurrence at the very moment a run ends passed while it was in flight.
    public DateTimeOffset? Next(DateTimeOffset previous, DateTimeOffset now) => cron.Next(now > previous ? now : previous, inclusive: false);
}
