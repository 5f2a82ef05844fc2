using CodexRuntime.Automation.Tests.Support;

namespace CodexRuntime.Automation.Tests.Scheduling;

/// <summary>
/// <see cref="AutomationSpec.NextDueTimes"/>: the schedule preview uses the runner's own rules (start, grid, StopAt,
/// MaxRuns), so it lists exactly the points an automation runs. The cron preview across daylight-saving changes is
/// compared with real runs in <see cref="CronScheduleTests"/>.
/// </summary>
public sealed class NextDueTimesTests
{
    private static readonly DateTimeOffset Nine = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    [Fact]
    public void An_interval_starts_at_from_and_steps_by_the_interval()
    {
        var spec = new AutomationSpec { Prompt = "p", Every = TimeSpan.FromMinutes(10) };

        Assert.Equal([Nine, Nine.AddMinutes(10), Nine.AddMinutes(20)], spec.NextDueTimes(Nine, 3));
    }

    [Fact]
    public void A_later_start_at_moves_the_first_point()
    {
        var spec = new AutomationSpec { Prompt = "p", Every = TimeSpan.FromHours(1), StartAt = Nine.AddDays(1) };

        Assert.Equal([Nine.AddDays(1), Nine.AddDays(1).AddHours(1)], spec.NextDueTimes(Nine, 2));
    }

    [Fact]
    public void Stop_at_is_exclusive_and_cuts_the_list()
    {
        var spec = new AutomationSpec { Prompt = "p", Every = TimeSpan.FromMinutes(10), StopAt = Nine.AddMinutes(30) };

        Assert.Equal([Nine, Nine.AddMinutes(10), Nine.AddMinutes(20)], spec.NextDueTimes(Nine, 10));
        Assert.Empty(spec.NextDueTimes(Nine.AddMinutes(30), 10));
    }

    [Fact]
    public void Max_runs_counts_the_runs_already_completed()
    {
        var spec = new AutomationSpec { Prompt = "p", Every = TimeSpan.FromMinutes(10), MaxRuns = 5 };

        Assert.Equal(5, spec.NextDueTimes(Nine, 10).Count);
        Assert.Equal([Nine, Nine.AddMinutes(10)], spec.NextDueTimes(Nine, 10, runsCompleted: 3));
        Assert.Empty(spec.NextDueTimes(Nine, 10, runsCompleted: 5));
        Assert.Empty((spec with { MaxRuns = 0 }).NextDueTimes(Nine, 10));
    }

    [Fact]
    public void Cron_lists_its_occurrences_in_its_zone_across_both_2026_daylight_saving_changes()
    {
        var spec = new AutomationSpec { Prompt = "p", Cron = new AutomationCron("30 2 * * *", Berlin) };

        // 02:30 CET, 03:00 CEST on 29 March (02:30 does not exist), then 02:30 CEST.
        Assert.Equal(
            [new DateTimeOffset(2026, 3, 28, 1, 30, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 30, 0, 30, 0, TimeSpan.Zero)],
            spec.NextDueTimes(new DateTimeOffset(2026, 3, 27, 12, 0, 0, TimeSpan.Zero), 3));
        // 02:30 happens twice on 25 October: listed once, at the first (CEST), then 02:30 CET.
        Assert.Equal(
            [new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero), new DateTimeOffset(2026, 10, 26, 1, 30, 0, TimeSpan.Zero)],
            spec.NextDueTimes(new DateTimeOffset(2026, 10, 24, 12, 0, 0, TimeSpan.Zero), 2));
    }

    [Fact]
    public async Task A_running_interval_automation_continues_its_preview_from_its_status()
    {
        var spec = new AutomationSpec { Prompt = "p", Every = TimeSpan.FromSeconds(10), MaxRuns = 4 };
        await using var codex = await ScriptedCodex.StartAsync(Nine);
        await using var automation = await codex.RunAsync(spec);
        var preview = spec.NextDueTimes(Nine, 10);

        await (await codex.NextTurnAsync()).CompleteAsync();
        await automation.WaitForRunAsync(1);
        var status = automation.Status;
        Assert.Equal(preview.Skip(1), spec.NextDueTimes(status.NextDueAt!.Value, 10, status.RunsCompleted));
        for (var run = 2; run <= 4; run++)
        {
            codex.Clock.Advance(automation.Status.NextDueAt!.Value - codex.Clock.GetUtcNow());
            await (await codex.NextTurnAsync()).CompleteAsync();
            await automation.WaitForRunAsync(run);
        }

        Assert.Equal(preview, (await automation.WaitForRunsAsync(4)).Select(r => r.DueAt));
        Assert.Equal(AutomationState.Stopped, (await automation.EndedAsync()).State);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(AutomationSpec.MaxPreviewCount + 1)]
    public void A_count_out_of_range_is_refused(int count)
    {
        var spec = new AutomationSpec { Prompt = "p", Every = TimeSpan.FromMinutes(1) };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => spec.NextDueTimes(Nine, count));

        Assert.Equal("count", error.ParamName);
        Assert.Contains("1 to 1000", error.Message, StringComparison.Ordinal);
        Assert.Equal(AutomationSpec.MaxPreviewCount, spec.NextDueTimes(Nine, AutomationSpec.MaxPreviewCount).Count);
    }

    [Fact]
    public void A_spec_without_a_schedule_is_refused_as_at_start_and_a_zero_interval_lists_nothing()
    {
        Assert.Throws<ArgumentException>(() => new AutomationSpec { Prompt = "p" }.NextDueTimes(Nine, 1));
        Assert.Empty(new AutomationSpec { Prompt = "p", Every = TimeSpan.Zero }.NextDueTimes(Nine, 1));
    }
}
