using System.Text.RegularExpressions;
using CodexRuntime.IntegrationTests.Support;

namespace CodexRuntime.IntegrationTests;

/// <summary>
/// The runnable samples, run the way a user runs them (<c>dotnet Sample.dll</c>, codex from <c>CODEX_CLI_PATH</c>)
/// in their default mode, the fake model: each exits 0 and prints what it promises. QuickRun is the README demo
/// (<c>bash build/demo.sh</c>). This project builds the samples first (see its project file).
/// </summary>
public sealed class SampleTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task The_readme_demo_runs_ls_through_codex_and_prints_the_reply(string version)
    {
        var output = await RunSampleAsync("QuickRun", version);

        Assert.Contains($"(codex {version})", output, StringComparison.Ordinal);
        Assert.Matches(@"command: \S*.*\bls -> Completed, exit code 0", output);
        Assert.Contains("| notes.txt", output, StringComparison.Ordinal);
        Assert.Contains("codex:   I listed the working directory and saw: notes.txt, todo.md.", output, StringComparison.Ordinal);
        Assert.Contains("turn:    Completed", output, StringComparison.Ordinal);
        Assert.Contains("answer:  I listed the working directory and saw: notes.txt, todo.md.", output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task The_workflow_sample_runs_three_threads_and_a_session_on_one_process(string version)
    {
        var output = await RunSampleAsync("Workflow", version);

        Assert.Contains("Codex.QuickRunAsync: Completed -> Hello from a codex process of its own.", output, StringComparison.Ordinal);
        var runs = Lines(output, @"^RunAsync \[codex pid (\d+), thread (\S+)\] .* -> (.*?)\r?$");
        var session = Lines(output, @"^session \[codex pid (\d+), thread (\S+)\] .* -> (.*?)\r?$");
        Assert.Equal(["42", "Bonjour.", "Thirteen."], runs.Select(m => m[3].Value));
        Assert.Equal(["Noted.", "The code word is pelican."], session.Select(m => m[3].Value));
        Assert.Single(runs.Concat(session).Select(m => m[1].Value).Distinct());
        Assert.Equal(3, runs.Select(m => m[2].Value).Distinct().Count());
        Assert.Single(session.Select(m => m[2].Value).Distinct());
    }

    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task The_sessions_sample_resumes_forks_interrupts_and_approves(string version)
    {
        var output = await RunSampleAsync("Sessions", version);

        Assert.Contains("-> The code word is pelican.", output, StringComparison.Ordinal);
        var stopped = Assert.Single(Lines(output, @"^codex pid (\d+) stops; thread (\S+) stays on disk"));
        var resumed = Assert.Single(Lines(output, @"^codex pid (\d+) resumed thread (\S+)\r?$"));
        Assert.NotEqual(stopped[1].Value, resumed[1].Value);
        Assert.Equal(stopped[2].Value, resumed[2].Value);
        Assert.Contains("-> Resumed on a new process; the code word is still pelican.", output, StringComparison.Ordinal);
        Assert.Contains("-> A fork starts with the same history: pelican.", output, StringComparison.Ordinal);
        Assert.Contains("turn ended: Interrupted", output, StringComparison.Ordinal);
        Assert.Contains("threw CodexRunInterruptedException", output, StringComparison.Ordinal);
        Assert.Contains("approved-by-handler.txt exists: True", output, StringComparison.Ordinal);
        Assert.Contains("approved-in-stream.txt exists: True", output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task The_generic_host_sample_answers_and_leaves_no_codex_running(string version)
    {
        var output = await RunSampleAsync("GenericHost", version);

        Assert.Contains($"(version {version}, pid ", output, StringComparison.Ordinal);
        Assert.Contains("answer:   A Generic Host starts your services with DI, configuration and logging, and stops them together.", output, StringComparison.Ordinal);
        Assert.Matches(@"stopped: codex pid \d+ running after host stop: False", output);
    }

    /// <summary>
    /// Runs a built sample with <c>dotnet</c> in an empty folder (its process tree is killed at the deadline), checks
    /// that it exited 0 and said it uses the offline fake model, and returns its standard output.
    /// </summary>
    private static async Task<string> RunSampleAsync(string name, string version)
    {
        var binary = await CodexInstallations.GetBinaryAsync(version);
        var result = await ChildProcessRun.RunSampleAsync(name, binary, typeof(SampleTests).Assembly, Deadline);
        Assert.False(result.TimedOut, $"{name} did not exit within {Deadline.TotalSeconds} s.\n{result.Report}");
        Assert.True(result.ExitCode == 0, result.Report);
        Assert.Matches(@"model:\s+FakeModelServer at http://127\.0\.0\.1:\d+/v1 \(offline: nothing leaves this machine\)", result.Output);
        return result.Output;
    }

    private static List<GroupCollection> Lines(string output, string pattern) =>
        Regex.Matches(output, pattern, RegexOptions.Multiline).Select(m => m.Groups).ToList();
}
