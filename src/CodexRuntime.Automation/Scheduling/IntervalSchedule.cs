namespace CodexRuntime.Automation.Scheduling;

/// <summary>Points <c>anchor + k * every</c>: the seed's fixed interval, anchored where the first run was due.</summary>
/// <param name="anchor">The first run's due time; every later point is a whole number of intervals after it.</param>
/// <param name="every">The interval (greater than zero).</param>
internal sealed class IntervalSchedule(DateTimeOffset anchor, TimeSpan every) : IAutomationSchedule
{
    public DateTimeOffset Anchor { get; } = anchor;

    public DateTimeOffset? First(DateTimeOffset start) => start;

    public DateTimeOffset? Next(DateTimeOffset previous, DateTimeOffset now)
    {
        // The first whole interval from the anchor strictly after now (a tick at the very moment a run ends passed
        // while it was in flight, so it is missed like the others)...
        var elapsed = (now - Anchor).Ticks;
        var candidate = At(elapsed < 0 ? 0 : (elapsed / every.Ticks) + 1);
        // ...and strictly after the run that just ended (a clock set back must not repeat a point).
        if (candidate is { } point && point <= previous)
        {
            candidate = At(((previous - Anchor).Ticks / every.Ticks) + 1);
        }

        return candidate;
    }

    private DateTimeOffset? At(long steps)
    {
        // Past DateTimeOffset.MaxValue there is no next point: the schedule ends instead of overflowing.
        var maxSteps = (DateTimeOffset.MaxValue - Anchor).Ticks / every.Ticks;
        return steps > maxSteps ? null : Anchor + TimeSpan.FromTicks(steps * every.Ticks);
    }
}
