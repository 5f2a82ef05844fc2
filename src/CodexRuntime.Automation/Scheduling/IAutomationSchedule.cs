namespace CodexRuntime.Automation.Scheduling;

/// <summary>The schedule points of a spec: where the first run falls and which point follows a run.</summary>
internal interface IAutomationSchedule
{
    /// <summary>The point the first run is due at, for a schedule that starts at <paramref name="start"/> (<c>max(StartAt, now)</c>); null when there is none.</summary>
    DateTimeOffset? First(DateTimeOffset start);

    /// <summary>
    /// The point after a run due at <paramref name="previous"/> that ended at <paramref name="now"/>: the first point
    /// later than both, so the ticks a long run overlapped (one at the very moment it ended included)
    /// collapse into that one point (anchored to the schedule, not to the end of the run). Null when there is none.
    /// </summary>
    DateTimeOffset? Next(DateTimeOffset previous, DateTimeOffset now);
}
