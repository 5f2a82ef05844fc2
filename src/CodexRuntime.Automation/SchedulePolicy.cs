using CodexRuntime.Automation.Diagnostics;
using CodexRuntime.Automation.Scheduling;
using Microsoft.Extensions.Logging;

namespace CodexRuntime.Automation;

/// <summary>
/// One automation's schedule as its runner and control actions apply it: the first point, the point after a run or a
/// skip, the missed-run policy on an owed point nothing waited for (logged and counted when it passes points over),
/// and whether the schedule has ended. The schedule is null only for an <see cref="AutomationSpec.Every"/> of zero or
/// less, which ends the automation Failed before anything asks for a point.
/// </summary>
internal sealed class SchedulePolicy(AutomationSpec spec, IAutomationSchedule? schedule, AutomationProgress progress, string name, ILogger logger, AutomationMetrics metrics)
{
    /// <summary>The first point of a schedule started at <paramref name="start"/>.</summary>
    public DateTimeOffset? First(DateTimeOffset start) => schedule!.First(start);

    /// <summary>The point after a run due at <paramref name="due"/> that ended at <paramref name="finishedAt"/> (completed or cancelled).</summary>
    public DateTimeOffset? After(DateTimeOffset due, DateTimeOffset finishedAt) => MissedRuns.After(spec, schedule!, due, finishedAt);

    /// <summary>The point following <paramref name="point"/> (what a skip moves to).</summary>
    public DateTimeOffset? Following(DateTimeOffset point) => MissedRuns.Following(schedule!, point);

    /// <summary>The missed-run policy applied to an owed point nothing waited for (a restart, a resume).</summary>
    public DateTimeOffset? Settle(DateTimeOffset due, DateTimeOffset now)
    {
        var settled = MissedRuns.Settle(spec, schedule!, due, now);
        if (settled != due)
        {
            AutomationLog.MissedPointsPassedOver(logger, name, spec.MissedRuns, due, settled);
            metrics.MissedPointsPassedOver();
        }

        return settled;
    }

    /// <summary>
    /// Stopped when no run may come by <paramref name="plan"/>: max runs reached, no further point, or at or past
    /// StopAt. A run-now has no point of its own: only the count and the clock can end it.
    /// </summary>
    public AutomationState? EndOf(RunPlan plan, DateTimeOffset now) =>
        // The same rule AutomationSpec.NextDueTimes applies, so a preview ends where the runs end.
        AutomationSchedule.Ends(spec, progress.RunsCompleted, plan.RunNow ? now : plan.DueAt, now) ? AutomationState.Stopped : null;
}
