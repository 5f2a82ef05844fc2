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

    /// <summary>
    /// How a failed run is tried again; null (the default) keeps the seed's rule: a failed run ends the automation
    /// <see cref="AutomationState.Failed"/>.
    /// </summary>
    public AutomationRetryPolicy? Retry { get; init; }

    /// <summary>What happens to schedule points that passed without a run; <see cref="MissedRunPolicy.RunOnce"/> (the seed's rule) by default.</summary>
    public MissedRunPolicy MissedRuns { get; init; } = MissedRunPolicy.RunOnce;

    /// <summary>
    /// With <see cref="MissedRunPolicy.RunEach"/> (and only then, where it is required): the most missed points run for
    /// one gap, 1 or more; the newest are run, older ones dropped.
    /// </summary>
    public int? MaxCatchUpRuns { get; init; }

    /// <summary>The most due times <see cref="NextDueTimes"/> returns in one call.</summary>
    public const int MaxPreviewCount = 1000;

    /// <summary>
    /// The next due times of this spec, for showing the schedule: computed by the same code the runner uses, so an
    /// automation started at <paramref name="from"/> whose runs each end before the next point runs exactly these.
    /// </summary>
    /// <remarks>
    /// The schedule starts at <c>max(StartAt, from)</c>: with <see cref="Every"/> the first point is that time and the
    /// grid is anchored there; with <see cref="Cron"/> it is the first occurrence at or after it (in the cron's zone).
    /// For a running automation pass its <see cref="AutomationStatus.NextDueAt"/> and
    /// <see cref="AutomationStatus.RunsCompleted"/>: that point is on its grid, so the list continues it. Points at or
    /// after <see cref="StopAt"/> are left out, and at most <c>MaxRuns - runsCompleted</c> points are returned (every
    /// listed run is counted as completing), so the list is shorter than <paramref name="count"/> when the schedule
    /// ends. An <see cref="Every"/> of zero or less gives an empty list: such an automation ends Failed before any run.
    /// The preview assumes no point is missed (each run ends before the next point, no pause, no retry), so
    /// <see cref="MissedRuns"/> does not change it; a run-now does not move the schedule, and after
    /// <see cref="AutomationHandle.SkipNextAsync"/> the status's next due time is already the following point.
    /// </remarks>
    /// <param name="from">When the schedule is looked at from (the start of the automation, or its next due time).</param>
    /// <param name="count">How many due times at most: 1 to <see cref="MaxPreviewCount"/>.</param>
    /// <param name="runsCompleted">Runs already completed, counted against <see cref="MaxRuns"/>.</param>
    /// <returns>The due times in increasing order, at most <paramref name="count"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not between 1 and <see cref="MaxPreviewCount"/>, or <paramref name="runsCompleted"/> is negative.</exception>
    /// <exception cref="ArgumentException">The spec sets neither or both of <see cref="Every"/> and <see cref="Cron"/> (as at start).</exception>
    public IReadOnlyList<DateTimeOffset> NextDueTimes(DateTimeOffset from, int count, int runsCompleted = 0)
    {
        if (count is < 1 or > MaxPreviewCount)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"AutomationSpec.NextDueTimes returns 1 to {MaxPreviewCount} due times; ask for a count in that range.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(runsCompleted);
        EnsureShape();
        var start = AutomationSchedule.StartOf(this, from);
        var dues = new List<DateTimeOffset>(count);
        if (AutomationSchedule.For(this, start) is not { } schedule)
        {
            return dues;
        }

        var due = schedule.First(start);
        while (dues.Count < count && !AutomationSchedule.Ends(this, runsCompleted + dues.Count, due, from))
        {
            dues.Add(due!.Value);
            // A run that ends at its own due time: the next point strictly after it, as the runner computes it.
            due = schedule.Next(due.Value, due.Value);
        }

        return dues;
    }

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

        Retry?.EnsureShape();
        if (!Enum.IsDefined(MissedRuns))
        {
            throw new ArgumentOutOfRangeException(nameof(MissedRuns), MissedRuns, "AutomationSpec.MissedRuns is not a MissedRunPolicy value; use RunOnce, Skip or RunEach.");
        }

        if (MissedRuns == MissedRunPolicy.RunEach ? MaxCatchUpRuns is not > 0 : MaxCatchUpRuns is not null)
        {
            // Silently ignoring a bound, or running an unbounded backlog, would both surprise: say which one is wrong.
            throw new ArgumentException(
                MissedRuns == MissedRunPolicy.RunEach
                    ? $"AutomationSpec.MissedRuns is RunEach but MaxCatchUpRuns is {(MaxCatchUpRuns is { } n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : "not set")}: set how many missed points at most are run for one gap (1 or more)."
                    : $"AutomationSpec.MaxCatchUpRuns is set but MissedRuns is {MissedRuns}: it applies only to MissedRunPolicy.RunEach; remove it or use RunEach.",
                nameof(MaxCatchUpRuns));
        }
    }
}
