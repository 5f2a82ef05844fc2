using CodexRuntime.Automation.Scheduling;

namespace CodexRuntime.Automation;

/// <summary>
/// The <see cref="MissedRunPolicy"/> of a spec applied to its schedule: which point an automation runs (or waits for)
/// when points passed without a run. Pure: the runner passes the clock's reading.
/// </summary>
internal static class MissedRuns
{
    /// <summary>
    /// The point to run or wait for when <paramref name="due"/> is owed at <paramref name="now"/> and nothing waited
    /// for it (a restart, a resume, a cancelled run's successor): <paramref name="due"/> itself when it has not passed.
    /// </summary>
    public static DateTimeOffset? Settle(AutomationSpec spec, IAutomationSchedule schedule, DateTimeOffset due, DateTimeOffset now)
    {
        if (due >= now)
        {
            return due;
        }

        return spec.MissedRuns switch
        {
            // The first point after now, strictly: one at this very moment has passed too.
            MissedRunPolicy.Skip => schedule.Next(due, now),
            MissedRunPolicy.RunEach => NewestPassed(schedule, due, now, spec.MaxCatchUpRuns ?? 1),
            _ => due,
        };
    }

    /// <summary>
    /// The point after a run due at <paramref name="due"/> that ended at <paramref name="finishedAt"/> (completed or
    /// cancelled). RunOnce and Skip: the seed's collapse, the first point after the end. RunEach: the point right after
    /// <paramref name="due"/>, or when it passed during the run, the oldest of the newest N passed ones.
    /// </summary>
    public static DateTimeOffset? After(AutomationSpec spec, IAutomationSchedule schedule, DateTimeOffset due, DateTimeOffset finishedAt)
    {
        if (spec.MissedRuns != MissedRunPolicy.RunEach)
        {
            return schedule.Next(due, finishedAt);
        }

        // Strictly after due alone: the next point of the grid, whether or not it passed while the run was in flight.
        var next = schedule.Next(due, due);
        return next is { } point && point <= finishedAt ? NewestPassed(schedule, point, finishedAt, spec.MaxCatchUpRuns ?? 1) : next;
    }

    /// <summary>The point following <paramref name="point"/> on the schedule (what a skip moves to).</summary>
    public static DateTimeOffset? Following(IAutomationSchedule schedule, DateTimeOffset point) => schedule.Next(point, point);

    /// <summary>The oldest of the newest <paramref name="keep"/> points from <paramref name="first"/> (which passed) up to <paramref name="now"/> (included: a point at this very moment is part of the gap).</summary>
    private static DateTimeOffset NewestPassed(IAutomationSchedule schedule, DateTimeOffset first, DateTimeOffset now, int keep)
    {
        // A ring of the last `keep` points walked; the schedule has no way back from now, so the gap is walked once.
        var ring = new DateTimeOffset[keep];
        var count = 0L;
        for (DateTimeOffset? point = first; point is { } p && p <= now; point = schedule.Next(p, p))
        {
            ring[count % keep] = p;
            count++;
        }

        return count <= keep ? ring[0] : ring[count % keep];
    }
}
