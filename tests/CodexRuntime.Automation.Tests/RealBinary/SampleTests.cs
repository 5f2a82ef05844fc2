using System.Text.RegularExpressions;
using CodexRuntime.IntegrationTests.Support;

namespace CodexRuntime.Automation.Tests.RealBinary;

/// <summary>
/// samples/Automation run the way a user runs it (<c>dotnet Automation.dll</c> in an empty folder, codex from
/// <c>CODEX_CLI_PATH</c>), offline: it exits 0 and prints its three runs on one thread, the pause after the first (no
/// run while paused), the persisted history of the three runs with their turn and thread ids, and the final status.
/// This project builds the sample first (see its project file).
/// </summary>
[Collection(RealCodexCollection.Name)]
public sealed class SampleTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Theory]
    [MemberData(nameof(CodexVersions.Both), MemberType = typeof(CodexVersions))]
    public async Task The_automation_sample_prints_three_runs_on_one_thread_then_stops(string version)
    {
        var binary = await CodexVersions.BinaryAsync(version);
        var result = await ChildProcessRun.RunSampleAsync("Automation", binary, typeof(SampleTests).Assembly, Deadline);
        Assert.False(result.TimedOut, $"The sample did not exit within {Deadline.TotalSeconds} s.\n{result.Report}");
        Assert.True(result.ExitCode == 0, result.Report);

        Assert.Matches(@"model:\s+FakeModelServer at http://127\.0\.0\.1:\d+/v1 \(offline: nothing leaves this machine\)", result.Output);
        var runs = Regex.Matches(result.Output, @"^run (\d) \[thread (\S+)\] due \S+, started \d+ ms late -> (.*?)\r?$", RegexOptions.Multiline);
        Assert.Equal(["1", "2", "3"], runs.Select(m => m.Groups[1].Value));
        Assert.Equal(
            ["Build is green: 42 tests passed.", "Still green: 42 tests passed, nothing changed since the last check.", "Green for the third time in a row."],
            runs.Select(m => m.Groups[3].Value));
        var thread = Assert.Single(runs.Select(m => m.Groups[2].Value).Distinct());
        Assert.Contains($"status:   Stopped, 3 runs completed on thread {thread}", result.Output, StringComparison.Ordinal);

        Assert.Matches(@"(?m)^paused:   Paused, the schedule stands at \S+\r?$", result.Output);
        Assert.Contains("after 1.5 s paused: still 1 run completed", result.Output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^resumed:  (Waiting|Running)\r?$", result.Output);
        var history = Regex.Matches(result.Output, @"^history:  run (\d) (\w+) turn (\S+) thread (\S+), ", RegexOptions.Multiline);
        Assert.Equal(["1 Completed", "2 Completed", "3 Completed"], history.Select(m => $"{m.Groups[1].Value} {m.Groups[2].Value}"));
        Assert.Equal(3, history.Select(m => m.Groups[3].Value).Distinct().Count());
        Assert.All(history, m => Assert.Equal(thread, m.Groups[4].Value));
    }
}
