using CodexRuntime.Automation.Tests.Support;

namespace CodexRuntime.Automation.Tests.Scheduling;

/// <summary>
/// Cron in a named time zone on the fake clock, across Europe/Berlin's daylight-saving changes of 2026 (29 March
/// 02:00 -> 03:00, 25 October 03:00 -> 02:00): 02:30 local time is skipped on one day and happens twice on the other,
/// and the automation still runs exactly once per local day.
/// </summary>
public sealed class CronScheduleTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    [Fact]
    public async Task Spring_forward_the_missing_local_time_runs_once_at_the_first_time_after_the_gap()
    {
        var dues = await RunDailyAsync(new DateTimeOffset(2026, 3, 27, 12, 0, 0, TimeSpan.Zero), days: 3);

        Assert.Equal(
            [new DateTimeOffset(2026, 3, 28, 1, 30, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 30, 0, 30, 0, TimeSpan.Zero)],
            dues);
        // Local: 02:30 CET, then 03:00 CEST (02:30 does not exist that night; not skipped), then 02:30 CEST.
        Assert.Equal(["28 02:30 +01:00", "29 03:00 +02:00", "30 02:30 +02:00"], dues.Select(Local));
    }

    [Fact]
    public async Task Fall_back_the_doubled_local_time_runs_once()
    {
        var dues = await RunDailyAsync(new DateTimeOffset(2026, 10, 24, 12, 0, 0, TimeSpan.Zero), days: 2);

        // 02:30 happens at 00:30 UTC (CEST) and again at 01:30 UTC (CET) on the 25th: one run, at the first.
        Assert.Equal([new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero), new DateTimeOffset(2026, 10, 26, 1, 30, 0, TimeSpan.Zero)], dues);
        Assert.Equal(["25 02:30 +02:00", "26 02:30 +01:00"], dues.Select(Local));
    }

    [Fact]
    public async Task The_first_cron_run_waits_for_the_first_occurrence_at_or_after_the_start()
    {
        await using var codex = await ScriptedCodex.StartAsync(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
        await using var automation = await codex.RunAsync(new AutomationSpec { Prompt = "noon", Cron = new AutomationCron("0 12 * * *"), StartAt = new DateTimeOffset(2026, 1, 6, 0, 0, 0, TimeSpan.Zero) });

        Assert.Equal(new DateTimeOffset(2026, 1, 6, 12, 0, 0, TimeSpan.Zero), automation.Status.NextDueAt);
        Assert.Equal(AutomationState.Waiting, automation.Status.State);
        Assert.Equal(0, codex.TurnStarts);
    }

    [Fact]
    public async Task Six_fields_mean_seconds_first()
    {
        await using var codex = await ScriptedCodex.StartAsync(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
        await using var automation = await codex.RunAsync(new AutomationSpec { Prompt = "tick", Cron = AutomationCron.InZone("*/15 * * * * *", "Europe/Berlin") });

        // Due at once (09:00:00 is an occurrence), then 15 s later: the first field is seconds.
        await (await codex.NextTurnAsync()).CompleteAsync();
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero), (await automation.WaitForRunAsync(1)).DueAt);
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 9, 0, 15, TimeSpan.Zero), automation.Status.NextDueAt);
    }

    [Fact]
    public void A_bad_expression_fails_naming_it()
    {
        var error = Assert.Throws<FormatException>(() => new AutomationCron("61 * * * *"));

        Assert.Contains("'61 * * * *'", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Runs "30 2 * * *" in Berlin for <paramref name="days"/> runs, moving the clock to each due time; returns the due times.</summary>
    private static async Task<List<DateTimeOffset>> RunDailyAsync(DateTimeOffset start, int days)
    {
        var spec = new AutomationSpec { Prompt = "nightly", Cron = new AutomationCron("30 2 * * *", Berlin), MaxRuns = days };
        await using var codex = await ScriptedCodex.StartAsync(start);
        await using var automation = await codex.RunAsync(spec);
        for (var day = 1; day <= days; day++)
        {
            var due = automation.Status.NextDueAt!.Value;
            // Up to a second before: nothing runs early.
            codex.Clock.Advance(due - codex.Clock.GetUtcNow() - TimeSpan.FromSeconds(1));
            Assert.Equal(day - 1, codex.TurnStarts);
            codex.Clock.Advance(TimeSpan.FromSeconds(1));
            await (await codex.NextTurnAsync()).CompleteAsync();
            await automation.WaitForRunAsync(day);
        }

        var runs = await automation.WaitForRunsAsync(days);
        Assert.All(runs, run => Assert.Equal(run.DueAt, run.StartedAt));
        Assert.Equal(AutomationState.Stopped, (await automation.EndedAsync()).State);
        // The preview a UI shows is what the runner ran, and MaxRuns cuts it (more were asked for).
        Assert.Equal(runs.Select(r => r.DueAt), spec.NextDueTimes(start, days + 5));
        return runs.Select(r => r.DueAt).ToList();
    }

    private static string Local(DateTimeOffset utc) => TimeZoneInfo.ConvertTime(utc, Berlin).ToString("dd HH:mm zzz", System.Globalization.CultureInfo.InvariantCulture);
}
