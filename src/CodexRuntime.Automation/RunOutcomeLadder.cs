using CodexRuntime.Automation.Diagnostics;
using Microsoft.Extensions.Logging;

namespace CodexRuntime.Automation;

/// <summary>
/// What a finished run's outcome does to the automation: completed (counted) or cancelled, the schedule moves on;
/// interrupted by a stop, the run stays owed and the automation ends; failed, it is retried per the spec's policy or
/// ends the automation Failed. Each step is applied to the progress, counted and logged; the runner then saves the
/// checkpoint, or records the end this returns.
/// </summary>
internal sealed class RunOutcomeLadder(AutomationSpec spec, AutomationProgress progress, SchedulePolicy schedule, RunInFlight inFlight, string name, ILogger logger, AutomationMetrics metrics)
{
    /// <summary>Applies <paramref name="run"/>'s outcome; returns the end it brings, or null when the automation goes on.</summary>
    public AutomationEnd? Apply(AutomationRun run)
    {
        var duration = run.FinishedAt - run.StartedAt;
        switch (run.Outcome)
        {
            case AutomationRunOutcome.Completed:
                progress.Completed(run.FinishedAt, () => schedule.After(run.DueAt, run.FinishedAt), schedule.Following);
                metrics.RunEnded("completed", duration);
                AutomationLog.RunCompleted(logger, name, run.Number, run.Result!.TurnId, progress.OwedDue);
                return EndAfterMovingOn(run.FinishedAt);
            case AutomationRunOutcome.Cancelled:
                progress.Cancelled(run.FinishedAt, () => schedule.After(run.DueAt, run.FinishedAt), schedule.Following);
                metrics.RunEnded("cancelled", duration);
                AutomationLog.RunCancelled(logger, name, run.Number, progress.OwedDue);
                return EndAfterMovingOn(run.FinishedAt);
            case AutomationRunOutcome.Interrupted:
                // The stop interrupted the turn (or codex went away with it): a stop, not a failure. The run is owed.
                progress.Interrupted(run.FinishedAt);
                metrics.RunEnded("interrupted", duration);
                return new AutomationEnd(AutomationState.Stopped);
            default:
                metrics.RunEnded("failed", duration);
                return RetryOrFail(run, run.Error!);
        }
    }

    /// <summary>After a run the schedule moved on from: a stop asked meanwhile, or the schedule's end, ends the automation.</summary>
    private AutomationEnd? EndAfterMovingOn(DateTimeOffset finishedAt) =>
        inFlight.StopRequested ? new AutomationEnd(AutomationState.Stopped)
        : schedule.EndOf(progress.Plan(), finishedAt) is { } ended ? new AutomationEnd(ended)
        : null;

    private AutomationEnd? RetryOrFail(AutomationRun run, Exception error)
    {
        var attempt = progress.FailedAttempts + 1;
        if (spec.Retry is { } retry && attempt < retry.MaxAttempts)
        {
            // A new attempt at the same point (or the same run-now), waited for on the automation's clock and kept
            // in the checkpoint, so a restart neither resets the count nor retries early.
            var retryAt = run.FinishedAt + retry.DelayBefore(attempt);
            progress.RetryLater(run.FinishedAt, retryAt);
            metrics.RetryScheduled();
            AutomationLog.RunRetried(logger, error, name, run.Number, attempt, retry.MaxAttempts, retryAt);
            return null;
        }

        progress.NotCompleted(run.FinishedAt);
        AutomationLog.RunFailed(logger, error, name, run.Number);
        var attempts = spec.Retry is null ? string.Empty : $" (attempt {attempt} of {spec.Retry.MaxAttempts})";
        return new AutomationEnd(AutomationState.Failed, $"Run {run.Number} failed{attempts}: {error.GetType().Name}: {error.Message}");
    }
}
