namespace CodexRuntime;

/// <summary>
/// What <see cref="CodexRuntimeHost"/> does when codex crashes: nothing (<see cref="Never"/>, the default) or start a
/// new process (<see cref="OnCrash"/>) after a growing delay, at most <see cref="MaxRestarts"/> times in a row. A
/// clean exit (code 0) is not a crash and is never restarted.
/// </summary>
public sealed record CodexRestartPolicy
{
    private CodexRestartPolicy(int maxRestarts, TimeSpan backoff)
    {
        MaxRestarts = maxRestarts;
        InitialBackoff = backoff;
    }

    /// <summary>Never restart: after a crash the runtime is faulted and calls fail with the exit code and stderr tail.</summary>
    public static CodexRestartPolicy Never { get; } = new(0, TimeSpan.Zero);

    /// <summary>Restart after a crash, at most <paramref name="maxRestarts"/> times in a row.</summary>
    /// <param name="maxRestarts">Consecutive restarts allowed; the count starts over once a process stayed up for <see cref="ResetAfter"/>.</param>
    /// <param name="backoff">Delay before the first restart (then doubled each attempt, up to <see cref="MaxBackoff"/>); 1 s when null.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxRestarts"/> is less than 1 or <paramref name="backoff"/> is negative.</exception>
    public static CodexRestartPolicy OnCrash(int maxRestarts = 3, TimeSpan? backoff = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRestarts, 1);
        var delay = backoff ?? TimeSpan.FromSeconds(1);
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero, nameof(backoff));
        return new CodexRestartPolicy(maxRestarts, delay);
    }

    /// <summary>Consecutive restarts allowed; 0 means never restart.</summary>
    public int MaxRestarts { get; init; }

    /// <summary>Delay before the first restart attempt.</summary>
    public TimeSpan InitialBackoff { get; init; }

    /// <summary>Each further attempt waits this many times longer. 2 by default.</summary>
    public double BackoffMultiplier { get; init; } = 2;

    /// <summary>The longest delay between attempts. 30 s by default.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A process that stayed up this long resets the consecutive-restart count. 1 min by default.</summary>
    public TimeSpan ResetAfter { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>True when crashes are restarted.</summary>
    public bool RestartsOnCrash => MaxRestarts > 0;

    /// <summary>The delay before attempt <paramref name="attempt"/> (1-based).</summary>
    internal TimeSpan Delay(int attempt)
    {
        var ticks = InitialBackoff.Ticks * Math.Pow(BackoffMultiplier, Math.Max(0, attempt - 1));
        return ticks >= MaxBackoff.Ticks ? MaxBackoff : TimeSpan.FromTicks((long)ticks);
    }

    internal IEnumerable<string> Validate()
    {
        if (MaxRestarts < 0)
        {
            yield return $"RestartPolicy.MaxRestarts is {MaxRestarts}; use 0 (never restart) or more.";
        }

        if (InitialBackoff < TimeSpan.Zero || MaxBackoff < TimeSpan.Zero)
        {
            yield return "RestartPolicy backoff delays must not be negative.";
        }

        if (BackoffMultiplier < 1)
        {
            yield return $"RestartPolicy.BackoffMultiplier is {BackoffMultiplier}; use 1 (constant delay) or more.";
        }
    }
}
