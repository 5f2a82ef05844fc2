using System.Text.Json.Nodes;
using CodexRuntime.Protocol;
using CodexRuntime.ServerRequests;
using CodexRuntime.Testing;
using CodexRuntime.Tests.Support;

namespace CodexRuntime.Tests.ServerRequests;

public sealed class ServerRequestDispatcherTests
{
    private const string CommandApproval = """{"id":7,"method":"item/commandExecution/requestApproval","params":{"threadId":"t","turnId":"u","itemId":"call-1","command":"touch x"}}""";
    private const string FileApproval = """{"id":8,"method":"item/fileChange/requestApproval","params":{"threadId":"t","turnId":"u","itemId":"call-2"}}""";

    [Theory]
    [InlineData(CodexServerRequestPolicy.Decline, CommandApproval, """{"id":7,"result":{"decision":"decline"}}""")]
    [InlineData(CodexServerRequestPolicy.Cancel, CommandApproval, """{"id":7,"result":{"decision":"cancel"}}""")]
    [InlineData(CodexServerRequestPolicy.Decline, FileApproval, """{"id":8,"result":{"decision":"decline"}}""")]
    [InlineData(CodexServerRequestPolicy.Cancel, FileApproval, """{"id":8,"result":{"decision":"cancel"}}""")]
    public async Task Without_a_handler_approvals_are_answered_by_policy_at_once(CodexServerRequestPolicy policy, string request, string expected)
    {
        var (peer, connection) = await ScriptedPeer.ConnectAsync(new CodexServerRequestDispatcher(new CodexServerRequestOptions { UnhandledPolicy = policy }));
        await using (peer)
        await using (connection)
        {
            await peer.WriteLineAsync(request);
            Assert.Equal(expected, await peer.ReadLineAsync());
        }
    }

    [Theory]
    [InlineData(CodexServerRequestPolicy.Error, CommandApproval)]
    [InlineData(CodexServerRequestPolicy.Decline, """{"id":9,"method":"item/tool/requestUserInput","params":{"threadId":"t","turnId":"u","itemId":"q","questions":[]}}""")]
    [InlineData(CodexServerRequestPolicy.Decline, """{"id":10,"method":"some/futureRequest","params":{}}""")]
    public async Task Requests_without_a_decline_form_or_with_the_error_policy_get_a_json_rpc_error(CodexServerRequestPolicy policy, string request)
    {
        var (peer, connection) = await ScriptedPeer.ConnectAsync(new CodexServerRequestDispatcher(new CodexServerRequestOptions { UnhandledPolicy = policy }));
        await using (peer)
        await using (connection)
        {
            await peer.WriteLineAsync(request);
            var reply = await peer.ReadAsync();
            Assert.Equal(-32601, (int?)reply["error"]!["code"]);
            Assert.Contains("no handler is registered", (string?)reply["error"]!["message"], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_typed_handler_answers_with_its_decision_and_sees_the_context()
    {
        var handler = new CommandHandler((request, context, _) =>
        {
            Assert.Equal("call-1", request.ItemId);
            Assert.Equal(("t", "u", "call-1"), (context.ThreadId, context.TurnId, context.ItemId));
            return ValueTask.FromResult(new CommandExecutionRequestApprovalResponse { Decision = new CommandExecutionApprovalDecision.AcceptForSession() });
        });
        var (peer, connection) = await ScriptedPeer.ConnectAsync(new CodexServerRequestDispatcher(new CodexServerRequestOptions { CommandApproval = handler }));
        await using (peer)
        await using (connection)
        {
            await peer.WriteLineAsync(CommandApproval);
            Assert.Equal("""{"id":7,"result":{"decision":"acceptForSession"}}""", await peer.ReadLineAsync());
        }
    }

    [Fact]
    public async Task A_handler_that_misses_the_deadline_is_cancelled_and_the_request_answered_by_the_deadline_policy()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new CommandHandler(async (_, _, token) =>
        {
            await using var registration = token.Register(() => cancelled.TrySetResult());
            await Task.Delay(Timeout.InfiniteTimeSpan, token);
            throw new InvalidOperationException("unreachable");
        });
        var options = new CodexServerRequestOptions { CommandApproval = handler, Deadline = TimeSpan.FromMilliseconds(200), DeadlinePolicy = CodexServerRequestPolicy.Cancel };
        var (peer, connection) = await ScriptedPeer.ConnectAsync(new CodexServerRequestDispatcher(options));
        await using (peer)
        await using (connection)
        {
            await peer.WriteLineAsync(CommandApproval);
            Assert.Equal("""{"id":7,"result":{"decision":"cancel"}}""", await peer.ReadLineAsync());
            await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
        }
    }

    [Fact]
    public async Task The_deadline_holds_even_for_a_handler_that_ignores_its_token()
    {
        var never = new TaskCompletionSource<CommandExecutionRequestApprovalResponse>();
        var handler = new CommandHandler((_, _, _) => new ValueTask<CommandExecutionRequestApprovalResponse>(never.Task));
        var options = new CodexServerRequestOptions { CommandApproval = handler, Deadline = TimeSpan.FromMilliseconds(200) };
        var (peer, connection) = await ScriptedPeer.ConnectAsync(new CodexServerRequestDispatcher(options));
        await using (peer)
        await using (connection)
        {
            await peer.WriteLineAsync(CommandApproval);
            Assert.Equal("""{"id":7,"result":{"decision":"decline"}}""", await peer.ReadLineAsync());
        }
    }

    [Theory]
    [InlineData("""{"method":"serverRequest/resolved","params":{"threadId":"t","requestId":7}}""")]
    [InlineData("""{"method":"turn/completed","params":{"threadId":"t","turn":{"id":"u","items":[],"status":"interrupted"}}}""")]
    public async Task Resolution_or_the_end_of_the_turn_cancels_a_running_handler_and_clears_pending(string resolution)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new CommandHandler(async (_, _, token) =>
        {
            await using var registration = token.Register(() => cancelled.TrySetResult());
            started.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, token);
            throw new InvalidOperationException("unreachable");
        });
        var observer = new RecordingMessageObserver();
        var dispatcher = new CodexServerRequestDispatcher(new CodexServerRequestOptions { CommandApproval = handler }, observer);
        var (peer, connection) = await ScriptedPeer.ConnectAsync(dispatcher);
        await using (peer)
        await using (connection)
        {
            await peer.WriteLineAsync(CommandApproval);
            await started.Task.WaitAsync(TimeSpan.FromSeconds(5));
            var pending = Assert.Single(dispatcher.Pending);
            Assert.Equal(("item/commandExecution/requestApproval", "u", "call-1"), (pending.Method, pending.TurnId, pending.ItemId));

            await peer.WriteLineAsync(resolution);
            await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(5));
            await peer.ReadLineAsync(); // the formality reply
            Assert.Empty(dispatcher.Pending);
            // Notifications still reach the inner observer: the reader hands it on after it cancelled the handler, so
            // the reply can be read before that; wait for it instead of reading the list at once.
            await observer.WaitForAsync(m => m.Method == JsonNode.Parse(resolution)!["method"]!.GetValue<string>(), TimeSpan.FromSeconds(5));
            Assert.Single(observer.Messages);
        }
    }

    [Fact]
    public async Task A_handler_that_throws_is_answered_with_an_internal_error()
    {
        var handler = new CommandHandler((_, _, _) => throw new InvalidOperationException("secret detail"));
        var (peer, connection) = await ScriptedPeer.ConnectAsync(new CodexServerRequestDispatcher(new CodexServerRequestOptions { CommandApproval = handler }));
        await using (peer)
        await using (connection)
        {
            await peer.WriteLineAsync(CommandApproval);
            var reply = await peer.ReadAsync();
            Assert.Equal(-32603, (int?)reply["error"]!["code"]);
            Assert.DoesNotContain("secret detail", reply.ToJsonString(), StringComparison.Ordinal);
        }
    }

    private sealed class CommandHandler(Func<CommandExecutionRequestApprovalParams, CodexServerRequestContext, CancellationToken, ValueTask<CommandExecutionRequestApprovalResponse>> handle) : ICommandApprovalHandler
    {
        public ValueTask<CommandExecutionRequestApprovalResponse> HandleAsync(CommandExecutionRequestApprovalParams request, CodexServerRequestContext context, CancellationToken cancellationToken) =>
            handle(request, context, cancellationToken);
    }
}
