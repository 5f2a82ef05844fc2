using CodexRuntime.IntegrationTests.Support;
using CodexRuntime.Protocol;
using CodexRuntime.Testing;
using CodexRuntime.Transport;

namespace CodexRuntime.IntegrationTests.Transport;

/// <summary>
/// The acceptance-style flow on the real newest codex over its socket listeners: start-and-attach on <c>unix://</c>
/// and on <c>ws://</c> with a capability token (text, command approval accepted and declined, streaming with an
/// interrupt), then a second client attach-only to the same server resumes the thread.
/// </summary>
public sealed class SocketTransportTests
{
    private const string Token = "capability-token-for-the-test";

    public static TheoryData<string> Kinds => new() { "unix", "ws" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Text_approvals_interrupt_and_resume_over_a_socket(string kind)
    {
        var endpoint = SocketEndpoints.Create(kind);
        await using var sandbox = await CodexSandbox.CreateAsync(CodexInstallations.Newest, "on-request",
        [
            FakeModelResponse.Text("hello over the socket"),
            FakeModelResponse.ExecCommand("touch accepted.txt", requestEscalation: true, callId: "call-accept"),
            FakeModelResponse.Text("accepted it"),
            FakeModelResponse.ExecCommand("touch declined.txt", requestEscalation: true, callId: "call-decline"),
            FakeModelResponse.Text("declined it"),
            FakeModelResponse.StreamedText(Enumerable.Range(0, 60).Select(i => $"word{i} "), TimeSpan.FromMilliseconds(100)),
            FakeModelResponse.Text("resumed over the socket"),
        ]);
        await using var owner = RealClient.Create(sandbox, config =>
        {
            config.Runtime.Process.Listen = endpoint;
            config.Runtime.Process.WebSocketToken = kind == "ws" ? Token : null;
        });
        var profile = new RunProfile { ApprovalPolicy = CodexApprovalPolicy.OnRequest };
        string threadId;
        await using (var session = await owner.Client.StartSessionAsync(owner.Session(profile)))
        {
            threadId = session.ThreadId;
            Assert.NotNull(owner.Client.ProcessId);
            Assert.Equal("hello over the socket", (await session.AskAsync("Say hello.")).Text);

            foreach (var (file, accept, answer) in new[] { ("accepted.txt", true, "accepted it"), ("declined.txt", false, "declined it") })
            {
                await using var turn = await session.AskStreamingAsync($"create {file}");
                var approvals = 0;
                using var deadline = new CancellationTokenSource(RealClient.Deadline);
                await foreach (var e in turn.WithCancellation(deadline.Token))
                {
                    if (e is ApprovalRequestedEvent approval)
                    {
                        approvals++;
                        Assert.Contains(file, approval.Request.Command, StringComparison.Ordinal);
                        Assert.True(await approval.Request.RespondAsync(accept ? CodexApprovalDecision.Accept : CodexApprovalDecision.Decline));
                    }
                }

                var result = await turn.GetResultAsync();
                Assert.Equal(1, approvals);
                Assert.Equal(answer, result.Text);
                var command = Assert.IsType<CommandExecutionThreadItem>(Assert.Single(result.Items, i => i is CommandExecutionThreadItem));
                Assert.Equal(accept ? CommandExecutionStatus.Completed : CommandExecutionStatus.Declined, command.Status);
                Assert.Equal(accept, File.Exists(Path.Combine(owner.Workspace, file)));
            }

            await using (var slow = await session.AskStreamingAsync("Tell me a long story."))
            {
                TurnCompletedEvent? completed = null;
                var interrupted = false;
                using var deadline = new CancellationTokenSource(RealClient.Deadline);
                await foreach (var e in slow.WithCancellation(deadline.Token))
                {
                    if (e is MessageDeltaEvent && !interrupted)
                    {
                        interrupted = true;
                        await session.InterruptAsync();
                    }
                    else if (e is TurnCompletedEvent done)
                    {
                        completed = done;
                    }
                }

                Assert.True(interrupted);
                Assert.Equal(TurnStatus.Interrupted, completed?.Result.Status);
                Assert.DoesNotContain("word59", completed!.Result.Text, StringComparison.Ordinal);
            }
        }

        // Attach-only: a second client on the same running server, which it neither starts nor stops.
        await using (var attached = RealClient.Create(sandbox, config =>
        {
            config.Runtime.Process.Attach = endpoint;
            config.Runtime.Process.WebSocketToken = kind == "ws" ? Token : null;
        }))
        {
            await using var resumed = await attached.Client.ResumeSessionAsync(threadId, attached.Session());
            var answer = await resumed.AskAsync("Go on.");
            Assert.Equal("resumed over the socket", answer.Text);
            Assert.Equal(threadId, answer.ThreadId);
            Assert.Null(attached.Client.ProcessId);
            Assert.Contains("Say hello.", sandbox.Model.ModelRequests[^1].Body, StringComparison.Ordinal);
        }

        // The attached client left the server running for its owner.
        Assert.Equal(State.CodexConnectionStatus.Connected, owner.Client.Runtime.State.Connection.Status);
    }

    [Fact]
    public async Task A_wrong_or_missing_token_is_refused_with_a_clear_error()
    {
        var endpoint = SocketEndpoints.Create("ws");
        await using var sandbox = await CodexSandbox.CreateAsync(CodexInstallations.Newest, "never", [FakeModelResponse.Text("unused")]);
        await using var owner = RealClient.Create(sandbox, config =>
        {
            config.Runtime.Process.Listen = endpoint;
            config.Runtime.Process.WebSocketToken = Token;
        });
        await using var session = await owner.Client.StartSessionAsync(owner.Session());

        var wrong = await Assert.ThrowsAsync<CodexConnectException>(() => CodexTransportFactory.OpenAsync(new CodexProcessOptions { Attach = endpoint, WebSocketToken = "not-the-token" }));
        Assert.Contains("401", wrong.Message, StringComparison.Ordinal);
        Assert.Contains("token was not accepted", wrong.Message, StringComparison.Ordinal);
        Assert.Contains(endpoint.ToString(), wrong.Message, StringComparison.Ordinal);

        var missing = await Assert.ThrowsAsync<CodexConnectException>(() => CodexTransportFactory.OpenAsync(new CodexProcessOptions { Attach = endpoint }));
        Assert.Contains("requires a token and none was given", missing.Message, StringComparison.Ordinal);

        await using var right = await CodexTransportFactory.OpenAsync(new CodexProcessOptions { Attach = endpoint, WebSocketToken = Token });
        Assert.Equal(endpoint, Assert.IsType<CodexWebSocketTransport>(right).Endpoint);
    }

    [Fact]
    public async Task Unix_socket_on_the_floor_version_names_the_version()
    {
        await using var sandbox = await CodexSandbox.CreateAsync(CodexInstallations.Floor, "never", [FakeModelResponse.Text("unused")]);
        var options = sandbox.ProcessOptions();
        options.Listen = SocketEndpoints.Create("unix");

        var error = await Assert.ThrowsAsync<CodexCompatibilityException>(() => CodexTransportFactory.OpenAsync(options));

        Assert.Equal(CodexInstallations.Floor, error.FoundVersion);
        Assert.Equal(CodexTransportFactory.MinimumListenVersion, error.RequiredVersion);
        Assert.Contains($"codex {CodexInstallations.Floor}", error.Message, StringComparison.Ordinal);
        Assert.Contains("unix:// listeners", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(options.Listen.SocketPath));
    }

    [Fact]
    public async Task Attaching_where_nothing_listens_says_so()
    {
        var endpoint = SocketEndpoints.Create("unix");
        var error = await Assert.ThrowsAsync<CodexConnectException>(() => CodexTransportFactory.OpenAsync(new CodexProcessOptions { Attach = endpoint, ListenTimeout = TimeSpan.FromSeconds(5) }));
        Assert.Contains($"No codex app-server accepted a connection at {endpoint}", error.Message, StringComparison.Ordinal);
    }
}
