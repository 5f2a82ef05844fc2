namespace CodexRuntime.Automation.Scheduling;

/// <summary>Waits on a <see cref="TimeProvider"/> until an absolute time, including a fake one a test advances from another thread.</summary>
internal static class ScheduleClock
{
    // A timer is relative to the moment it is set; if the clock moved by more than this while it was being set, the
    // timer would fire late by that much, so it is set again.
    private static readonly TimeSpan Drift = TimeSpan.FromMilliseconds(1);

    // Timers longer than ~49 days are not supported; a long wait is taken in steps.
    private static readonly TimeSpan LongestTimer = TimeSpan.FromDays(1);

    /// <summary>Completes when <paramref name="clock"/> reads <paramref name="due"/> or later; throws <see cref="OperationCanceledException"/> when cancelled.</summary>
    public static async Task WaitUntilAsync(TimeProvider clock, DateTimeOffset due, CancellationToken cancellationToken)
    {
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
            if (clock.GetUtcNow() - before > Drift)
            {
                continue;
            }

            await fired.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
