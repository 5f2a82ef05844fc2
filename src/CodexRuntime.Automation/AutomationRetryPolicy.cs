namespace CodexRuntime.Automation;

/// <summary>
/// How a failed run is tried again (<see cref="AutomationSpec.Retry"/>): up to <see cref="MaxAttempts"/> attempts at the
/// same due point, the n-th retry waiting <c>min(Delay × BackoffFactor^(n-1), MaxDelay)</c> after the failed attempt
/// ended, on the automation's clock. When the last attempt fails the automation ends
/// <see cref="AutomationState.Failed"/>, as without a policy.
/// </summary>
/// <remarks>
/// The attempt count and the retry's due time are in the checkpoint, so a restart neither resets the attempts nor
/// retries early. A run a stop or <see cref="AutomationHandle.CancelRunAsync"/> interrupted is not a failed attempt.
/// </remarks>
public sealed record AutomationRetryPolicy
{
    /// <summary>Attempts per run, the first included (1 means no retry). 3 by default.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>The wait before the first retry (zero or more). 30 seconds by default.</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Each further retry waits this many times as long as the one before (1 or more; 1 = a fixed delay). 2 by default.</summary>
    public double BackoffFactor { get; init; } = 2;

    /// <summary>The longest wait before a retry; null means no bound.</summary>
    public TimeSpan? MaxDelay { get; init; }

    /// <summary>The wait before retry number <paramref name="retry"/> (1 for the retry after the first failed attempt).</summary>
    internal TimeSpan DelayBefore(int retry)
    {
        var ticks = Delay.Ticks * Math.Pow(BackoffFactor, retry - 1);
        var bound = (MaxDelay ?? TimeSpan.MaxValue).Ticks;
        // Pow can overflow long (or reach infinity) for many retries: the bound (or TimeSpan.MaxValue) holds instead.
        return double.IsFinite(ticks) && ticks < bound ? TimeSpan.FromTicks((long)ticks) : TimeSpan.FromTicks(bound);
    }

    /// <summary>Throws for a policy that cannot work, naming the member and the fix.</summary>
    internal void EnsureShape()
    {
        if (MaxAttempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxAttempts), MaxAttempts, "AutomationRetryPolicy.MaxAttempts counts the first attempt too, so it must be 1 or more (1 means no retry).");
        }

        if (Delay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Delay), Delay, "AutomationRetryPolicy.Delay is negative; use TimeSpan.Zero to retry at once, or a positive wait.");
        }

        if (!double.IsFinite(BackoffFactor) || BackoffFactor < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BackoffFactor), BackoffFactor, "AutomationRetryPolicy.BackoffFactor must be a finite number of 1 or more (1 keeps the delay fixed, 2 doubles it per retry).");
        }

        if (MaxDelay < Delay)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDelay), MaxDelay, $"AutomationRetryPolicy.MaxDelay ({MaxDelay}) is shorter than Delay ({Delay}); set it to Delay or more, or null for no bound.");
        }
    }
}
