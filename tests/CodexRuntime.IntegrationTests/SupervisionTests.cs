using System.Diagnostics;
using CodexRuntime.Events;
using CodexRuntime.IntegrationTests.Support;
using CodexRuntime.Protocol;
using CodexRuntime.State;
using CodexRuntime.Testing;

namespace CodexRuntime.IntegrationTests;

/// <summary>
/// Killing the real codex in the middle of a turn: pending work fails fast with the exit code and stderr tail; with
/// the restart policy on, the runtime comes back and a new turn on the resumed thread completes.
/// </summary>
public sealed class SupervisionTests
{
    private static readonly FakeModelResponse SlowAnswer = FakeModelResponse.StreamedText(Enumerable.Range(0, 200).Select(i => $"slow{i} "), TimeSpan.FromMilliseconds(100));

    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task Killing_codex_mid_turn_fails_pending_work_within_one_second_with_exit_code_and_stderr(string version)
    {
        await using var codex = await RealRuntime.StartAsync(version, "never", WithStderrLog, SlowAnswer);
        var (threadId, turnId) = await StartStreamingTurnAsync(codex);
        var turnWait = codex.Runtime.WaitForTurnAsync(threadId, turnId, RealRuntime.Deadline);

        // Frozen, codex cannot answer: the read below stays pending until the process dies.
        codex.Freeze();
        using var sent = codex.Runtime.Subscribe(new CodexSubscriptionOptions { Filter = e => e.Direction == CodexDirection.Outbound && e.Method == "thread/read" });
        var pending = codex.App.ThreadReadAsync(new ThreadReadParams { ThreadId = threadId }, TimeSpan.FromSeconds(30));
        using (var written = new CancellationTokenSource(RealRuntime.Deadline))
        {
            await sent.Reader.ReadAsync(written.Token);
        }

        Assert.False(pending.IsCompleted);

        var clock = Stopwatch.StartNew();
        Process.GetProcessById(codex.ProcessId).Kill();
        var error = await Assert.ThrowsAsync<CodexTransportClosedException>(() => pending);
        var elapsed = clock.Elapsed;
        var turnError = await Assert.ThrowsAsync<CodexTransportClosedException>(() => turnWait);

        Assert.True(elapsed < TimeSpan.FromSeconds(1), $"the pending call failed after {elapsed.TotalMilliseconds:0} ms");
        Assert.NotNull(error.ExitCode);
        Assert.False(string.IsNullOrWhiteSpace(error.StderrTail), "no stderr tail was attached");
        Assert.Equal(error.ExitCode, turnError.ExitCode);
        await WaitForStatusAsync(codex.Runtime, CodexConnectionStatus.Faulted);
        var state = codex.Runtime.State;
        Assert.Equal(TurnStatus.Failed, state.FindTurn(turnId)!.Status);
        Assert.Equal(error.ExitCode, state.Connection.LastDisconnect!.ExitCode);

        // Faulted without a restart policy: later calls fail at once, naming the exit.
        var later = await Assert.ThrowsAsync<CodexTransportClosedException>(() => codex.App.ThreadReadAsync(new ThreadReadParams { ThreadId = threadId }));
        Assert.Contains("RestartPolicy", later.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task With_the_restart_policy_a_killed_codex_comes_back_and_a_resumed_thread_runs_a_new_turn(string version)
    {
        await using var codex = await RealRuntime.StartAsync(
            version,
            "never",
            options => options.RestartPolicy = CodexRestartPolicy.OnCrash(maxRestarts: 2, backoff: TimeSpan.FromMilliseconds(200)),
            SlowAnswer,
            FakeModelResponse.Text("alive again"));
        using var events = codex.Runtime.Subscribe(new CodexSubscriptionOptions { IncludeOutbound = false, Filter = e => e.Kind == CodexEnvelopeKind.Lifecycle });
        var (threadId, _) = await StartStreamingTurnAsync(codex);
        var firstProcess = codex.ProcessId;

        Process.GetProcessById(firstProcess).Kill();
        await WaitForStatusAsync(codex.Runtime, CodexConnectionStatus.Connected, notProcess: firstProcess);

        var resumed = await codex.App.ThreadResumeAsync(new ThreadResumeParams { ThreadId = threadId });
        Assert.Equal(threadId, resumed.Thread.Id);
        var turn = await codex.RunTurnAsync(threadId, "are you there?");

        Assert.Equal(TurnStatus.Completed, turn.Status);
        Assert.Equal("alive again", turn.AgentText);
        Assert.NotEqual(firstProcess, codex.ProcessId);
        Assert.Equal(1, codex.Runtime.State.Connection.Restarts);
        Assert.Equal(1, codex.Runtime.MetricsSnapshot().Restarts);
        var lifecycle = new List<string>();
        while (events.Reader.TryRead(out var envelope))
        {
            lifecycle.Add(envelope.Method!);
        }

        Assert.Equal(["codexRuntime/disconnected", "codexRuntime/restarting", "codexRuntime/restarted"], lifecycle);
    }

    private static void WithStderrLog(CodexRuntimeOptions options) =>
        // codex logs to stderr at info level; the tail then has something to show.
        options.Process.Environment["RUST_LOG"] = "info";

    /// <summary>Starts a thread and a slowly streamed turn, and returns once its first delta arrived.</summary>
    private static async Task<(string ThreadId, string TurnId)> StartStreamingTurnAsync(RealRuntime codex)
    {
        using var deltas = codex.Runtime.Subscribe(new CodexSubscriptionOptions { IncludeOutbound = false, Filter = e => e.Method == "item/agentMessage/delta" });
        var threadId = await codex.StartThreadAsync();
        var turnId = await codex.StartTurnAsync(threadId, "talk slowly");
        using var deadline = new CancellationTokenSource(RealRuntime.Deadline);
        await deltas.Reader.ReadAsync(deadline.Token);
        return (threadId, turnId);
    }

    private static async Task WaitForStatusAsync(CodexRuntimeHost runtime, CodexConnectionStatus status, int? notProcess = null)
    {
        var deadline = Stopwatch.StartNew();
        while (runtime.State.Connection is var connection && (connection.Status != status || (notProcess is not null && connection.ProcessId == notProcess)))
        {
            Assert.True(deadline.Elapsed < RealRuntime.Deadline, $"the runtime is {connection.Status}, not {status}");
            await Task.Delay(50);
        }
    }
}
