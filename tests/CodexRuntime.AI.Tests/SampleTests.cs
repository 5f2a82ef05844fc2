using CodexRuntime.IntegrationTests.Support;
using CodexRuntime.Tests.Shared;

namespace CodexRuntime.AI.Tests;

/// <summary>
/// Must show 7: samples/AgentFramework runs offline the way a user runs it (<c>dotnet AgentFramework.dll</c>, codex from
/// <c>CODEX_CLI_PATH</c>): the two-agent workflow (the writer's file exists, the reviewer read it through codex) and the
/// typed answer.
/// </summary>
public sealed class SampleTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    [Theory]
    [MemberData(nameof(CodexVersions.Both), MemberType = typeof(CodexVersions))]
    public async Task The_agent_framework_sample_runs_a_two_agent_workflow_and_a_typed_answer(string version)
    {
        var result = await ChildProcessRun.RunSampleAsync("AgentFramework", await CodexVersions.BinaryAsync(version), typeof(SampleTests).Assembly, Deadline);

        Assert.False(result.TimedOut, $"The sample did not exit within {Deadline.TotalSeconds} s.\n{result.Report}");
        Assert.True(result.ExitCode == 0, result.Report);
        var output = result.Output;
        Assert.Matches(@"model:\s+FakeModelServer at http://127\.0\.0\.1:\d+/v1 \(offline: nothing leaves this machine\)", output);
        Assert.Matches(@"writer: codex used fileChange \(\S*haiku\.txt\), informational: True", output);
        Assert.Contains("reviewer: codex used commandExecution (", output, StringComparison.Ordinal);
        Assert.Contains("writer said: I wrote haiku.txt.", output, StringComparison.Ordinal);
        // The reviewer's answer depends on what its command printed: the writer's file, read through codex.
        Assert.Contains("reviewer said: Review: three lines, 5-7-5, approved.", output, StringComparison.Ordinal);
        Assert.Contains("haiku.txt exists: True", output, StringComparison.Ordinal);
        Assert.Contains("typed answer: title 'codex writes a file', 3 lines", output, StringComparison.Ordinal);
    }
}
