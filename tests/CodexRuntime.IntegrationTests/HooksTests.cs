using System.Collections.Concurrent;
using CodexRuntime.Hooks;
using CodexRuntime.IntegrationTests.Support;
using CodexRuntime.Protocol;
using CodexRuntime.Testing;

namespace CodexRuntime.IntegrationTests;

/// <summary>
/// <c>CodexRuntime.Hooks</c> on the real binary (both versions): prompt rewriting, tool blocking and observation,
/// shell hooks that block or time out, and per-run reports under concurrency.
/// </summary>
public sealed class HooksTests
{
    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task A_PreTurn_hook_rewrites_the_prompt_the_model_receives(string version)
    {
        await using var codex = await RealClient.CreateAsync(version, "never",
            config => config.UseHooks(hooks => hooks.Pre("rewriter", (context, _) => ValueTask.FromResult(context.Phase == CodexRunPhase.PreTurn
                ? CodexInterceptorDecision.Mutate(new CodexRunPatch { Prompt = "rewritten-prompt-walrus" })
                : CodexInterceptorDecision.Continue))),
            FakeModelResponse.Text("ok"));
        await using var session = await codex.Client.StartSessionAsync(codex.Session());

        var result = await session.AskAsync("original-prompt-narwhal");

        var body = codex.Model.ModelRequests[0].Body;
        Assert.Contains("rewritten-prompt-walrus", body, StringComparison.Ordinal);
        Assert.DoesNotContain("original-prompt-narwhal", body, StringComparison.Ordinal);
        Assert.Contains(result.GetHookReport().Entries, e => e is { Interceptor: "rewriter", Phase: CodexRunPhase.PreTurn, Outcome: CodexInterceptionOutcome.Mutated });
        // A pre-only hook takes no part in post phases: none of its entries are post ones.
        Assert.DoesNotContain(result.GetHookReport().Entries, e => e.Phase is CodexRunPhase.PostTurn or CodexRunPhase.PostToolUse);
        // The session's start has its own report: the hook was asked in PreSessionStart and let it go on.
        Assert.Contains(session.GetHookReport().Entries, e => e is { Interceptor: "rewriter", Phase: CodexRunPhase.PreSessionStart, Outcome: CodexInterceptionOutcome.Continued });
        Assert.DoesNotContain(result.GetHookReport().Entries, e => e.Phase == CodexRunPhase.PreSessionStart);
    }

    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task A_PreToolUse_hook_blocks_touch_and_a_PostToolUse_hook_sees_an_allowed_command(string version)
    {
        var observed = new ConcurrentQueue<CodexToolUse>();
        await using var codex = await RealClient.CreateAsync(version, "on-request",
            config => config.UseHooks(hooks => hooks
                .Pre(
                    "no-touch",
                    (context, _) => ValueTask.FromResult(context.Tool?.Command?.Contains("touch", StringComparison.Ordinal) == true
                        ? CodexInterceptorDecision.Block("touch is not allowed here")
                        : CodexInterceptorDecision.Continue),
                    HookMatcher.ForPhases(CodexRunPhase.PreToolUse))
                .Post("tool-watcher", (context, _) =>
                {
                    if (context.Phase == CodexRunPhase.PostToolUse && context.Tool is { } tool)
                    {
                        observed.Enqueue(tool);
                    }

                    return ValueTask.CompletedTask;
                })),
            FakeModelResponse.ExecCommand("touch blocked.txt", requestEscalation: true),
            FakeModelResponse.ExecCommand("echo allowed-output-marker"),
            FakeModelResponse.Text("done"));
        // Accept everything: only the hook stands between the model and the file.
        var profile = new RunProfile { ApprovalPolicy = CodexApprovalPolicy.OnRequest, Approvals = CodexApprovalHandler.AcceptAll };
        await using var session = await codex.Client.StartSessionAsync(codex.Session(profile));

        var result = await session.AskAsync("touch then echo");

        Assert.False(File.Exists(Path.Combine(codex.Workspace, "blocked.txt")));
        var report = result.GetHookReport();
        var block = Assert.Single(report.Blocks);
        Assert.Equal("no-touch", block.Interceptor);
        Assert.Equal(CodexRunPhase.PreToolUse, block.Phase);
        Assert.Equal("touch is not allowed here", block.Message);
        Assert.Contains(result.Items, i => i is CommandExecutionThreadItem { Status: CommandExecutionStatus.Declined });
        var echo = Assert.Single(observed, t => t.Command?.Contains("allowed-output-marker", StringComparison.Ordinal) == true);
        Assert.Equal(0, echo.ExitCode);
        Assert.Contains("allowed-output-marker", echo.Output, StringComparison.Ordinal);
        Assert.Equal("completed", echo.Status);
    }

    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task A_shell_hook_that_exits_2_blocks_the_run(string version)
    {
        await using var codex = await RealClient.CreateAsync(version, "never",
            config => config.UseHooks(hooks => hooks.Shell("shell-gate", "cat > /dev/null; echo 'policy says no' >&2; exit 2", HookMatcher.ForPhases(CodexRunPhase.PreTurn))),
            FakeModelResponse.Text("must not be used"));
        await using var session = await codex.Client.StartSessionAsync(codex.Session());

        var error = await Assert.ThrowsAsync<CodexRunBlockedException>(() => session.AskAsync("anything"));

        Assert.Equal("shell-gate", error.BlockedBy);
        Assert.Equal(CodexRunPhase.PreTurn, error.Phase);
        Assert.Contains("policy says no", error.Reason, StringComparison.Ordinal);
        Assert.Single(error.GetHookReport().Blocks);
        Assert.Empty(codex.Model.ModelRequests);
    }

    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task A_shell_hook_past_its_timeout_is_killed_and_recorded_and_the_run_goes_on(string version)
    {
        await using var codex = await RealClient.CreateAsync(version, "never", null, FakeModelResponse.Text("still answered"));
        var pids = Path.Combine(codex.Workspace, "pids");
        Directory.CreateDirectory(pids);
        var script = $"echo $$ > '{pids}/sh.pid'; sleep 30 & echo $! > '{pids}/sleep.pid'; wait";
        var profile = new RunProfile().UseHooks(hooks => hooks.Add(new ShellCommandHook("sleeper", script, TimeSpan.FromMilliseconds(800)), HookMatcher.ForPhases(CodexRunPhase.PreTurn)));
        await using var session = await codex.Client.StartSessionAsync(codex.Session(profile));

        var result = await session.AskAsync("go");

        Assert.Equal("still answered", result.Text);
        var issue = Assert.Single(result.GetHookReport().Issues);
        Assert.Equal("sleeper", issue.Interceptor);
        Assert.Equal(CodexInterceptionOutcome.TimedOut, issue.Outcome);
        var shell = int.Parse(File.ReadAllText(Path.Combine(pids, "sh.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var sleep = int.Parse(File.ReadAllText(Path.Combine(pids, "sleep.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(shell.ToString(System.Globalization.CultureInfo.InvariantCulture), issue.Message, StringComparison.Ordinal);
        Assert.False(ProcessProbe.IsRunning(shell), $"the hook's shell {shell} is still running");
        Assert.False(ProcessProbe.IsRunning(sleep), $"the hook's child {sleep} is still running");
    }

    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task Two_sessions_at_once_each_get_only_their_own_hook_report(string version)
    {
        await using var codex = await RealClient.CreateAsync(version, "never", null,
            FakeModelResponse.StreamedText(["one ", "two ", "three"], TimeSpan.FromMilliseconds(50)),
            FakeModelResponse.StreamedText(["four ", "five ", "six"], TimeSpan.FromMilliseconds(50)));
        var first = await codex.Client.StartSessionAsync(codex.Session(new RunProfile().UseHooks(hooks => hooks.Pre("hook-a", Continue).Post("hook-a", Observe))));
        var second = await codex.Client.StartSessionAsync(codex.Session(new RunProfile().UseHooks(hooks => hooks.Pre("hook-b", Continue).Post("hook-b", Observe))));

        var results = await Task.WhenAll(first.AskAsync("from a"), second.AskAsync("from b"));

        Assert.All(results[0].GetHookReport().Entries, e => Assert.Equal("hook-a", e.Interceptor));
        Assert.All(results[1].GetHookReport().Entries, e => Assert.Equal("hook-b", e.Interceptor));
        Assert.Equal([CodexRunPhase.PreTurn, CodexRunPhase.PostTurn], results[0].GetHookReport().Entries.Select(e => e.Phase));
        Assert.Equal([CodexRunPhase.PreTurn, CodexRunPhase.PostTurn], results[1].GetHookReport().Entries.Select(e => e.Phase));
        await first.DisposeAsync();
        await second.DisposeAsync();
    }

    private static ValueTask<CodexInterceptorDecision> Continue(CodexRunContext context, CancellationToken cancellationToken) => ValueTask.FromResult(CodexInterceptorDecision.Continue);

    private static ValueTask Observe(CodexRunContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
