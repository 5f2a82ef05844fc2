namespace CodexRuntime.Automation.Scheduling;

/// <summary>Waits on a <see cref="TimeProvider"/> until an absolute time, including a fake one a test advances from another thread.</summary>
internal static class ScheduleClock
{
    // A timer is relative to the moment it is set; if the clock moved by more than this while it was being set, the
    // timer would fire late by that much, so it is set again.
    private static readonly TimeSpan Drift = TimeSpan.FromMilliseconds(1);

    // How often in a row the timer is set again before it stands anyway.
    private const int MaxResets = 10;

    // Timers longer than ~49 days are not supported; a long wait is taken in steps.
    private static readonly TimeSpan LongestTimer = TimeSpan.FromDays(1);

    /// <summary>Completes when <paramref name="clock"/> reads <paramref name="due"/> or later; throws <see cref="OperationCanceledException"/> when cancelled.</summary>
    public static async Task WaitUntilAsync(TimeProvider clock, DateTimeOffset due, CancellationToken cancellationToken)
    {
        var resets = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var before = clock.GetUtcNow();
            if (before >= due)
            {
                return;
            }

            var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var wait = due - before < LongestTimer ? due - before : LongestTimer;
            await using var timer = clock.CreateTimer(static state => ((TaskCompletionSource)state!).TrySetResult(), fired, wait, Timeout.InfiniteTimeSpan);
            // A real clock on a starved machine can drift past the bound every time: after a few resets the timer
            // stands (late by a few milliseconds at most), so the loop never spins.
            if (clock.GetUtcNow() - before > Drift && ++resets < MaxResets)
            {
                continue;
            }

            resets = 0;
            await fired.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
