using System.Diagnostics;
using CodexRuntime.IntegrationTests.Support;
using CodexRuntime.Protocol;
using CodexRuntime.Rpc;
using CodexRuntime.Testing;

namespace CodexRuntime.IntegrationTests;

/// <summary>The JSON-RPC connection against the real codex binary, on both ends of the supported range.</summary>
public sealed class ConnectionTests
{
    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task Initialize_detects_the_server_version(string version)
    {
        await using var codex = await RealCodex.StartAsync(version);

        var info = codex.Connection.ServerInfo;
        Assert.Equal(CodexVersion.Parse(version), info.Version);
        Assert.StartsWith($"codex_runtime_dotnet/{version} ", info.UserAgent, StringComparison.Ordinal);
        if (version == CodexInstallations.Floor)
        {
            Assert.Null(info.CodexHome); // 0.104.0 returns only userAgent.
        }
        else
        {
            Assert.Equal(codex.Home.Path, info.CodexHome);
        }
    }

    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task Thread_and_turn_complete_with_the_scripted_text(string version)
    {
        await using var codex = await RealCodex.StartAsync(version, script: FakeModelResponse.StreamedText(["Hello", " from", " the", " fake", " model"]));

        var threadId = await codex.StartThreadAsync();
        var (turnId, completed) = await codex.RunTurnAsync(threadId, "say hello");

        Assert.Equal("completed", completed.Params.GetProperty("turn").GetProperty("status").GetString());
        var agentMessage = codex.Observer.Messages.Single(m =>
            m.Method == "item/completed" && m.Params.GetProperty("item").GetProperty("type").GetString() == "agentMessage");
        Assert.Equal("Hello from the fake model", agentMessage.Params.GetProperty("item").GetProperty("text").GetString());
        var deltas = codex.Observer.Messages.Where(m => m.Method == "item/agentMessage/delta").Select(m => m.Params.GetProperty("delta").GetString());
        Assert.Equal("Hello from the fake model", string.Concat(deltas));
        Assert.All(codex.Observer.Messages.Where(m => m.Method.StartsWith("item/", StringComparison.Ordinal)), m => Assert.Equal(turnId, m.Params.GetProperty("turnId").GetString()));

        // The model really was called by codex, with the prompt.
        var request = Assert.Single(codex.Model.ModelRequests);
        Assert.Contains("say hello", request.Body, StringComparison.Ordinal);
        Assert.Equal(0, codex.Connection.MalformedLineCount);
    }

    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task Killing_the_binary_fails_the_pending_request_within_one_second(string version)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // SIGSTOP has no Windows equivalent; the transport-closed path is the same there.
        }

        await using var codex = await RealCodex.StartAsync(version);
        // Frozen, codex cannot answer: the request is certainly pending when the process dies.
        codex.Freeze();
        var pending = codex.Connection.RequestAsync("thread/list", RealCodex.Json("{}"));
        await Task.Yield();
        Assert.False(pending.IsCompleted);

        var clock = Stopwatch.StartNew();
        codex.Process.Kill();
        var error = await Assert.ThrowsAsync<CodexTransportClosedException>(() => pending.WaitAsync(TimeSpan.FromSeconds(1)));
        clock.Stop();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"the pending call failed after {clock.Elapsed}");
        Assert.NotNull(error.ExitCode);
        Assert.Contains("thread/list", error.Message, StringComparison.Ordinal);
        var info = await codex.Connection.Completion.WaitAsync(RealCodex.Deadline);
        Assert.Equal(CodexDisconnectReason.ProcessExited, info.Reason);
        Assert.False(ProcessProbe.IsRunning(codex.Process.ProcessId));
    }

    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task Dispose_leaves_no_codex_process(string version)
    {
        var codex = await RealCodex.StartAsync(version, script: FakeModelResponse.Text("done"));
        var threadId = await codex.StartThreadAsync();
        await codex.RunTurnAsync(threadId, "finish");
        var pid = codex.Process.ProcessId;
        var descendants = ProcessProbe.GetDescendants(pid);
        Assert.True(ProcessProbe.IsRunning(pid));

        await codex.DisposeAsync();

        Assert.False(ProcessProbe.IsRunning(pid), $"codex (pid {pid}) is still running");
        Assert.All(descendants, child => Assert.False(ProcessProbe.IsRunning(child), $"codex's child {child} is still running"));
        Assert.Equal(CodexDisconnectReason.Disposed, (await codex.Connection.Completion).Reason);
    }

    [Theory]
    [MemberData(nameof(ApprovalCases))]
    public async Task Command_approval_reply_is_accepted_by_the_real_binary(string version, string decision)
    {
        // The reply is written in codex's framing by the connection itself; the command's side effect proves that
        // codex read it: the file exists only after "accept".
        await using var codex = await RealCodex.StartAsync(
            version,
            approvalPolicy: "on-request",
            FakeModelResponse.ExecCommand("touch approved.txt", requestEscalation: true, callId: "call-x"),
            FakeModelResponse.Text("finished"));
        codex.Observer.ServerRequestHandler = (_, _) => ValueTask.FromResult(RecordingMessageObserver.Reply($$"""{"decision":"{{decision}}"}"""));

        var threadId = await codex.StartThreadAsync();
        var (_, completed) = await codex.RunTurnAsync(threadId, "create approved.txt");

        Assert.Equal("completed", completed.Params.GetProperty("turn").GetProperty("status").GetString());
        var command = await codex.Observer.WaitForAsync(m => m.Method == "item/completed" && m.Params.GetProperty("item").GetProperty("id").GetString() == "call-x", RealCodex.Deadline);
        Assert.Equal(decision == "accept" ? "completed" : "declined", command.Params.GetProperty("item").GetProperty("status").GetString());
        var approval = Assert.Single(codex.Observer.Messages, m => m.Kind == CodexMessageKind.ServerRequest);
        Assert.Equal("item/commandExecution/requestApproval", approval.Method);
        Assert.Equal(decision == "accept", File.Exists(Path.Combine(codex.Workspace.FullName, "approved.txt")));
    }

    public static TheoryData<string, string> ApprovalCases => new()
    {
        { CodexInstallations.Newest, "accept" },
        { CodexInstallations.Newest, "decline" },
        { CodexInstallations.Floor, "accept" },
        { CodexInstallations.Floor, "decline" },
    };
}
