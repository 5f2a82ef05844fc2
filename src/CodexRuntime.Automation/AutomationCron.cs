using Cronos;

namespace CodexRuntime.Automation;

/// <summary>
/// A cron expression evaluated in a time zone (parsed with Cronos): five fields (minute hour day-of-month month
/// day-of-week), or six with seconds first. Daylight-saving changes are handled in the zone's local time: a time that
/// does not exist on the day the clocks go forward runs once at the first valid time after the gap, and a time that
/// occurs twice when they go back runs once (interval fields such as <c>*/15</c> keep their elapsed rhythm).
/// </summary>
public sealed class AutomationCron
{
    private readonly CronExpression _expression;

    /// <summary>Parses <paramref name="expression"/> for <paramref name="timeZone"/>.</summary>
    /// <param name="expression">Five fields, or six with seconds first, e.g. <c>30 2 * * *</c> (02:30 every day).</param>
    /// <param name="timeZone">The zone whose local time the expression means; UTC when null.</param>
    /// <exception cref="FormatException">The expression is not valid cron (the message names it).</exception>
    public AutomationCron(string expression, TimeZoneInfo? timeZone = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(expression);
        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        try
        {
            _expression = CronExpression.Parse(expression, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
        }
        catch (CronFormatException ex)
        {
            throw new FormatException($"'{expression}' is not a cron expression (five fields, or six with seconds first): {ex.Message}", ex);
        }

        Expression = expression;
        TimeZone = timeZone ?? TimeZoneInfo.Utc;
    }

    /// <summary>The expression as given.</summary>
    public string Expression { get; }

    /// <summary>The time zone the expression is evaluated in.</summary>
    public TimeZoneInfo TimeZone { get; }

    /// <summary>Parses <paramref name="expression"/> for the zone with id <paramref name="timeZoneId"/> (IANA such as <c>Europe/Berlin</c>, or Windows ids).</summary>
    /// <param name="expression">The cron expression.</param>
    /// <param name="timeZoneId">The time zone id.</param>
    /// <returns>The parsed schedule.</returns>
    /// <exception cref="TimeZoneNotFoundException">No zone has that id on this machine.</exception>
    public static AutomationCron InZone(string expression, string timeZoneId) => new(expression, TimeZoneInfo.FindSystemTimeZoneById(timeZoneId));

    /// <summary>The first occurrence after <paramref name="from"/> (or at it when <paramref name="inclusive"/>); null when there is none.</summary>
    internal DateTimeOffset? Next(DateTimeOffset from, bool inclusive) => _expression.GetNextOccurrence(from, TimeZone, inclusive);

    /// <inheritdoc />
    public override string ToString() => $"{Expression} ({TimeZone.Id})";
}
