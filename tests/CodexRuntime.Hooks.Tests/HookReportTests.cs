using CodexRuntime.Protocol;

namespace CodexRuntime.Hooks.Tests;

public sealed class HookReportTests
{
    private static readonly CodexInterceptionRecord[] Records =
    [
        new("ok", CodexRunPhase.PreTurn, CodexInterceptionOutcome.Continued, null, TimeSpan.FromMilliseconds(1)),
        new("broken", CodexRunPhase.PreTurn, CodexInterceptionOutcome.Failed, "ShellHookException: exit 3", TimeSpan.FromMilliseconds(2)),
        new("slow", CodexRunPhase.PreToolUse, CodexInterceptionOutcome.TimedOut, "pid 42 killed", TimeSpan.FromSeconds(5), new CodexToolUse("commandExecution", "i")),
        new("guard", CodexRunPhase.PreToolUse, CodexInterceptionOutcome.Blocked, "no rm -rf", TimeSpan.FromMilliseconds(3), new CodexToolUse("commandExecution", "j", "rm -rf /")),
    ];

    [Fact]
    public void The_report_of_a_result_is_the_runs_own_interceptions()
    {
        var result = new PromptRunResult("t", "u", TurnStatus.Completed, "done", [], null, null, null, TimeSpan.FromSeconds(1)) { Interceptions = Records };

        var report = result.GetHookReport();

        Assert.Equal(["ok", "broken", "slow", "guard"], report.Entries.Select(e => e.Interceptor));
        Assert.Equal(["broken", "slow"], report.Issues.Select(e => e.Interceptor));
        var block = Assert.Single(report.Blocks);
        Assert.Equal("no rm -rf", block.Message);
        Assert.Equal("rm -rf /", block.Tool!.Command);
        Assert.Equal(CodexRunPhase.PreToolUse, block.Phase);
        Assert.Equal(TimeSpan.FromMilliseconds(3), block.Duration);
        Assert.Single(report.For("slow"));
    }

    [Fact]
    public void The_report_of_a_blocked_run_comes_from_its_exception()
    {
        CodexInterceptionRecord[] records = [.. Records[..2], new("guard", CodexRunPhase.PreTurn, CodexInterceptionOutcome.Blocked, "nope", TimeSpan.Zero)];
        var error = new CodexRunBlockedException("guard", CodexRunPhase.PreTurn, "nope", records);

        var report = error.GetHookReport();

        Assert.Equal(["ok", "broken", "guard"], report.Entries.Select(e => e.Interceptor));
        Assert.Equal("nope", Assert.Single(report.Blocks).Message);
        Assert.Single(report.Issues);
        Assert.Empty(HookReport.Empty.Entries);
    }
}
