using CodexRuntime.Automation.Scheduling;

namespace CodexRuntime.Automation;

/// <summary>
/// The schedule rules shared by the runner and <see cref="AutomationSpec.NextDueTimes"/>: where a schedule starts, which
/// points it has and when it ends. Both call exactly this code, so a preview can never disagree with the runs.
/// </summary>
internal static class AutomationSchedule
{
    /// <summary>Where a schedule started at <paramref name="now"/> begins: <c>max(StartAt, now)</c>.</summary>
    public static DateTimeOffset StartOf(AutomationSpec spec, DateTimeOffset now) => spec.StartAt is { } startAt && startAt > now ? startAt : now;

    /// <summary>The points of <paramref name="spec"/>; an interval is anchored at <paramref name="anchor"/>. Null for an interval of zero or less (the runner ends such an automation Failed).</summary>
    public static IAutomationSchedule? For(AutomationSpec spec, DateTimeOffset anchor) =>
        spec.Every is { } every
            ? every > TimeSpan.Zero ? new IntervalSchedule(anchor, every) : null
            : spec.Cron is { } cron ? new CronSchedule(cron) : null;

    /// <summary>True when no run may come at <paramref name="due"/>: max runs reached, no further point, or at or past StopAt.</summary>
    public static bool Ends(AutomationSpec spec, int runsCompleted, DateTimeOffset? due, DateTimeOffset now) =>
        (spec.MaxRuns is { } max && runsCompleted >= max)
        || due is null
        || (spec.StopAt is { } stopAt && (due >= stopAt || now >= stopAt));
}
