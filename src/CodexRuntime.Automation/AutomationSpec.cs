namespace CodexRuntime.Automation;

/// <summary>
/// What an automation runs and when: one prompt, asked on one prepared session at every schedule point from
/// <see cref="StartAt"/> until <see cref="StopAt"/> (exclusive) or <see cref="MaxRuns"/>. The schedule is exactly one of
/// <see cref="Every"/> (a fixed interval, the seed's form) and <see cref="Cron"/> (a cron expression in a time zone).
/// </summary>
/// <remarks>
/// With <see cref="Every"/> the first run is due at <c>max(StartAt, now)</c> and later runs at that time plus whole
/// intervals; with <see cref="Cron"/> the first run is due at the first occurrence at or after <c>max(StartAt, now)</c>.
/// Both shapes are checked when the automation starts: setting neither or both throws <see cref="ArgumentException"/>;
/// an <see cref="Every"/> of zero or less does not throw, the automation ends <see cref="AutomationState.Failed"/> with
/// <see cref="AutomationStatus.LastError"/> saying why (the seed's rule).
/// </remarks>
public sealed record AutomationSpec
{
    /// <summary>The prompt asked at every run (the session keeps the conversation, so each run sees the earlier ones).</summary>
    public required string Prompt { get; init; }

    /// <summary>When the schedule starts; null (or a time in the past) means now.</summary>
    public DateTimeOffset? StartAt { get; init; }

    /// <summary>The fixed interval between schedule points (must be greater than zero). Exactly one of this and <see cref="Cron"/>.</summary>
    public TimeSpan? Every { get; init; }

    /// <summary>A cron expression in a time zone. Exactly one of this and <see cref="Every"/>.</summary>
    public AutomationCron? Cron { get; init; }

    /// <summary>No run starts at or after this time (exclusive); null means no end.</summary>
    public DateTimeOffset? StopAt { get; init; }

    /// <summary>How many runs complete before the automation stops; 0 stops it at once; null means no limit. Counted across restarts when a state store is used.</summary>
    public int? MaxRuns { get; init; }

    /// <summary>Throws for a spec whose shape is wrong (a programming error); the seed's run-time rules (every == 0) are not checked here.</summary>
    internal void EnsureShape()
    {
        if (string.IsNullOrWhiteSpace(Prompt))
        {
            throw new ArgumentException("AutomationSpec.Prompt is empty; set the prompt each run asks.", nameof(Prompt));
        }

        if (Every is null == Cron is null)
        {
            throw new ArgumentException(
                Every is null
                    ? "AutomationSpec has no schedule: set exactly one of Every (a fixed interval) and Cron (a cron expression with a time zone)."
                    : "AutomationSpec sets both Every and Cron: set exactly one of them.",
                nameof(Every));
        }

        if (MaxRuns < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRuns), MaxRuns, "AutomationSpec.MaxRuns is negative; use null for no limit, 0 to stop at once, or a positive count.");
        }
    }
}
