using System.Collections.Concurrent;
using CodexRuntime.Events;
using CodexRuntime.IntegrationTests.Support;
using CodexRuntime.Testing;

namespace CodexRuntime.IntegrationTests;

/// <summary>
/// The core's interceptor extension point on the real binary, with plain <see cref="ICodexRunInterceptor"/>s (no hook
/// package): every phase fires in order with its own report per run, a block stops the run before anything is sent,
/// and a failing or hanging interceptor is recorded while the run goes on.
/// </summary>
public sealed class InterceptionTests
{
    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task A_one_off_run_calls_every_phase_in_order_and_reports_them_with_its_result(string version)
    {
        var seen = new Recorder("recorder");
        await using var codex = await RealClient.CreateAsync(version, "on-request", config => config.Interceptors.Add(seen),
            FakeModelResponse.ExecCommand("touch hooked.txt && echo tool-output-marker", requestEscalation: true),
            FakeModelResponse.Text("done"));
        var profile = new RunProfile { ApprovalPolicy = CodexApprovalPolicy.OnRequest, Approvals = CodexApprovalHandler.AcceptAll };

        var result = await codex.Client.RunAsync(codex.Workspace, "run the echo", profile);

        Assert.Equal(
            [CodexRunPhase.PreRun, CodexRunPhase.PreSessionStart, CodexRunPhase.PostSessionStart, CodexRunPhase.PreTurn, CodexRunPhase.PreToolUse, CodexRunPhase.PostToolUse, CodexRunPhase.PostTurn, CodexRunPhase.PostRun],
            seen.Calls.Select(c => c.Phase));
        Assert.Equal(seen.Calls.Select(c => c.Phase), result.Interceptions.Select(r => r.Phase));
        Assert.True(File.Exists(Path.Combine(codex.Workspace, "hooked.txt")));
        var post = seen.Calls.Single(c => c.Phase == CodexRunPhase.PostToolUse).Tool!;
        Assert.Equal("commandExecution", post.Tool);
        Assert.Equal(0, post.ExitCode);
        Assert.Contains("tool-output-marker", post.Output, StringComparison.Ordinal);
        Assert.Equal("done", seen.Calls.Single(c => c.Phase == CodexRunPhase.PostTurn).Result?.Text);
    }

    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task A_block_in_PreTurn_stops_the_ask_before_turn_start_and_failures_are_recorded(string version)
    {
        await using var codex = await RealClient.CreateAsync(version, "never", config =>
            {
                config.InterceptorTimeout = TimeSpan.FromMilliseconds(500);
                config.Interceptors.Add(new Throwing("thrower"));
                config.Interceptors.Add(new Hanging("hanger"));
            },
            FakeModelResponse.Text("answered"));
        var profile = new RunProfile();
        await using var session = await codex.Client.StartSessionAsync(codex.Session(profile));

        // Failing and hanging interceptors are recorded; the ask goes on.
        var result = await session.AskAsync("first");
        Assert.Equal("answered", result.Text);
        Assert.Contains(result.Interceptions, r => r is { Interceptor: "thrower", Phase: CodexRunPhase.PreTurn, Outcome: CodexInterceptionOutcome.Failed } && r.Message!.Contains("scripted failure", StringComparison.Ordinal));
        Assert.Contains(result.Interceptions, r => r is { Interceptor: "hanger", Phase: CodexRunPhase.PreTurn, Outcome: CodexInterceptionOutcome.TimedOut });
        Assert.Contains(session.StartInterceptions, r => r.Phase == CodexRunPhase.PreSessionStart);

        // A run-scoped blocker (added to the session's own profile) stops the next ask before anything is sent.
        session.Profile.Interceptors.Add(new Blocker("gate"));
        codex.Envelopes();
        var blocked = await Assert.ThrowsAsync<CodexRunBlockedException>(() => session.AskAsync("second"));

        Assert.Equal("gate", blocked.BlockedBy);
        Assert.Equal(CodexRunPhase.PreTurn, blocked.Phase);
        Assert.Contains("'gate' blocked the run in PreTurn", blocked.Message, StringComparison.Ordinal);
        Assert.Contains(blocked.Report, r => r is { Interceptor: "gate", Outcome: CodexInterceptionOutcome.Blocked });
        Assert.DoesNotContain(codex.Envelopes(), e => e.Direction == CodexDirection.Outbound && e.Method == "turn/start");
        Assert.Single(codex.Model.ModelRequests);
        Assert.Null(session.ActiveTurn);
    }

    private sealed class Recorder(string name) : ICodexRunInterceptor
    {
        private readonly ConcurrentQueue<CodexRunContext> _calls = new();

        public string Name => name;

        public IReadOnlyList<CodexRunContext> Calls => [.. _calls];

        public ValueTask<CodexInterceptorDecision> InterceptAsync(CodexRunContext context, CancellationToken cancellationToken)
        {
            _calls.Enqueue(context);
            return ValueTask.FromResult(CodexInterceptorDecision.Continue);
        }
    }

    private sealed class Throwing(string name) : ICodexRunInterceptor
    {
        public string Name => name;

        public ValueTask<CodexInterceptorDecision> InterceptAsync(CodexRunContext context, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("scripted failure");
    }

    private sealed class Hanging(string name) : ICodexRunInterceptor
    {
        public string Name => name;

        public async ValueTask<CodexInterceptorDecision> InterceptAsync(CodexRunContext context, CancellationToken cancellationToken)
        {
            // Ignores its token on purpose: the core's deadline must still hold.
            await new TaskCompletionSource().Task;
            return CodexInterceptorDecision.Continue;
        }
    }

    private sealed class Blocker(string name) : ICodexRunInterceptor
    {
        public string Name => name;

        public ValueTask<CodexInterceptorDecision> InterceptAsync(CodexRunContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(context.Phase == CodexRunPhase.PreTurn ? CodexInterceptorDecision.Block("not today") : CodexInterceptorDecision.Continue);
    }
}
