using CodexRuntime.Automation.Diagnostics;
using Microsoft.Extensions.Logging;

namespace CodexRuntime.Automation;

/// <summary>
/// The control actions of <see cref="AutomationHandle"/> on a running automation: pause, resume, run now, skip the next
/// point, cancel the run in flight. Each refuses on a disposed or ended automation before anything changes, changes the
/// progress (which wakes the loop), is counted and logged, and is saved before it returns so a restart keeps it.
/// </summary>
internal sealed class AutomationControls(
    AutomationProgress progress,
    SchedulePolicy schedule,
    RunInFlight inFlight,
    CheckpointKeeper checkpoints,
    TimeProvider clock,
    Func<bool> disposed,
    string name,
    ILogger logger,
    AutomationMetrics metrics)
{
    /// <summary>Pauses (saved before it returns); a run in flight finishes. See <see cref="AutomationHandle.PauseAsync"/>.</summary>
    public async Task PauseAsync(CancellationToken cancellationToken)
    {
        EnsureUsable(cancellationToken);
        if (!progress.Pause())
        {
            throw Ended("paused");
        }

        metrics.Control("pause");
        AutomationLog.Paused(logger, name, progress.State == AutomationState.Running);
        await SaveAsync("paused").ConfigureAwait(false);
    }

    /// <summary>Resumes (saved before it returns). See <see cref="AutomationHandle.ResumeAsync"/>.</summary>
    public async Task ResumeAsync(CancellationToken cancellationToken)
    {
        EnsureUsable(cancellationToken);
        var now = clock.GetUtcNow();
        if (!progress.Resume(due => schedule.Settle(due, now)))
        {
            throw Ended("resumed");
        }

        metrics.Control("resume");
        AutomationLog.Resumed(logger, name, progress.OwedDue);
        await SaveAsync("resumed").ConfigureAwait(false);
    }

    /// <summary>One extra run at once (or after the run in flight). See <see cref="AutomationHandle.RunNowAsync"/>.</summary>
    public async Task RunNowAsync(CancellationToken cancellationToken)
    {
        EnsureUsable(cancellationToken);
        var now = clock.GetUtcNow();
        var answer = progress.RequestRunNow(now);
        switch (answer)
        {
            case RunNowAnswer.Ended:
                throw Ended("run now");
            case RunNowAnswer.Paused:
                throw new InvalidOperationException($"The automation '{name}' is paused, so it starts no run, a run-now included. Call ResumeAsync first, then RunNowAsync.");
            case RunNowAnswer.AlreadyPending:
                throw new InvalidOperationException($"The automation '{name}' already has a run-now queued or in flight (requested at {progress.Snapshot().RunNowRequestedAt:O}); it takes one at a time. Wait for that run (RunFinished or ReadRunsAsync), then ask again.");
        }

        metrics.Control("run_now");
        AutomationLog.RunNowRequested(logger, name, answer.ToString());
        await SaveAsync("asked to run now").ConfigureAwait(false);
    }

    /// <summary>Skips the next scheduled point (durably). See <see cref="AutomationHandle.SkipNextAsync"/>.</summary>
    public async Task SkipNextAsync(CancellationToken cancellationToken)
    {
        EnsureUsable(cancellationToken);
        if (!progress.Skip(schedule.Following))
        {
            throw Ended("skipped");
        }

        metrics.Control("skip");
        AutomationLog.SkipRequested(logger, name, progress.State == AutomationState.Running, progress.OwedDue);
        await SaveAsync("asked to skip its next run").ConfigureAwait(false);
    }

    /// <summary>Interrupts the run in flight and waits for it to end; false when none was in flight. See <see cref="AutomationHandle.CancelRunAsync"/>.</summary>
    public async Task<bool> CancelRunAsync(CancellationToken cancellationToken)
    {
        EnsureUsable(cancellationToken);
        if (inFlight.RequestCancel() is not { } cancel)
        {
            return false;
        }

        var (turn, runEnded) = cancel;

        metrics.Control("cancel");
        AutomationLog.CancelRequested(logger, name, turn?.TurnId);
        if (turn is not null)
        {
            await inFlight.InterruptAsync(turn, cancellationToken).ConfigureAwait(false);
        }

        // Else turn/start is still in flight: the run interrupts its turn as soon as codex names it.
        await runEnded.WaitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private void EnsureUsable(CancellationToken cancellationToken)
    {
        // Named as the runner, as before the control actions had a class of their own: the disposed object is the automation.
        ObjectDisposedException.ThrowIf(disposed(), typeof(AutomationRunner));
        // Before anything changes: a cancelled call leaves the automation as it was.
        cancellationToken.ThrowIfCancellationRequested();
    }

    private InvalidOperationException Ended(string action) =>
        new($"The automation '{name}' has ended ({progress.State}), so it cannot be {action}. Start it again (with the same state store it continues its schedule), then control the new handle.");

    /// <summary>A control action's change, saved before the action returns, so a restart right after it keeps it.</summary>
    private async Task SaveAsync(string action)
    {
        if (!await checkpoints.TrySaveAsync().ConfigureAwait(false) && progress.IsEnded && !disposed())
        {
            // The save failed (the automation ended Failed, the loop finishes it) or the automation ended meanwhile.
            var status = progress.Snapshot();
            throw new InvalidOperationException($"The automation '{name}' was {action}, but it ended ({status.State}: {status.LastError ?? "no error"}) before that was saved, so it does not hold.");
        }
    }
}
