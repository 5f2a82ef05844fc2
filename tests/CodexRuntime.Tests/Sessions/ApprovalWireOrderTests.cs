using System.Text.Json.Nodes;
using CodexRuntime.Protocol;
using CodexRuntime.ServerRequests;
using CodexRuntime.Testing;

namespace CodexRuntime.Tests.Sessions;

/// <summary>
/// A turn's approvals come on its one queue at their place on the wire: deltas and approval requests sent in one burst
/// are read back from the turn's stream in exactly the order codex wrote them.
/// </summary>
public sealed class ApprovalWireOrderTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly ScriptedAppServer _server = new();
    private CodexClient _client = null!;

    public async Task InitializeAsync()
    {
        // The runtime's own typed handler accepts: it answers only what no running turn takes.
        var config = _server.Attach(new ClientConfig());
        config.Runtime.ServerRequests.CommandApproval = new AcceptingHandler();
        _client = new CodexClient(config);
        await _client.ConnectAsync().WaitAsync(Deadline);
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Delta_approval_delta_delta_in_one_burst_reach_the_stream_in_wire_order_a_thousand_times_in_a_row()
    {
        await using var session = await _client.StartSessionAsync(new SessionConfig(Path.GetTempPath()));
        var starting = session.AskStreamingAsync("go");
        var start = await _server.ReadRequestAsync("turn/start");
        await start.RespondAsync(new JsonObject { ["turn"] = new JsonObject { ["id"] = "turn-1", ["items"] = new JsonArray(), ["status"] = "inProgress", ["error"] = null } });
        await using var turn = await starting.WaitAsync(Deadline);
        await using var events = turn.GetAsyncEnumerator(new CancellationTokenSource(Deadline).Token);

        for (var round = 0; round < 1_000; round++)
        {
            // One burst: the scripted server writes the four lines in call order without waiting for the client.
            var first = _server.NotifyAsync("item/agentMessage/delta", Delta(session.ThreadId, $"a{round}"));
            var approval = _server.SendServerRequestAsync("item/commandExecution/requestApproval", Approval(session.ThreadId, $"call-{round}"));
            var second = _server.NotifyAsync("item/agentMessage/delta", Delta(session.ThreadId, $"b{round}"));
            var third = _server.NotifyAsync("item/agentMessage/delta", Delta(session.ThreadId, $"c{round}"));
            await Task.WhenAll(first, second, third).WaitAsync(Deadline);

            Assert.Equal($"a{round}", await NextDeltaAsync(events));
            Assert.True(await events.MoveNextAsync());
            var requested = Assert.IsType<ApprovalRequestedEvent>(events.Current);
            Assert.Equal($"call-{round}", requested.Request.ItemId);
            // Answered before the next read: asking for the next event would hand it to the profile's policy.
            Assert.True(await requested.Request.AcceptAsync());
            Assert.Equal($"b{round}", await NextDeltaAsync(events));
            Assert.Equal($"c{round}", await NextDeltaAsync(events));
            Assert.Equal("accept", (string?)(await approval.WaitAsync(Deadline))["decision"]);
        }

        await _server.NotifyAsync("turn/completed", new JsonObject
        {
            ["threadId"] = session.ThreadId,
            ["turn"] = new JsonObject { ["id"] = "turn-1", ["items"] = new JsonArray(), ["status"] = "completed", ["error"] = null },
        });
        Assert.True(await events.MoveNextAsync());
        Assert.IsType<TurnCompletedEvent>(events.Current);
    }

    [Fact]
    public async Task An_approval_for_a_session_with_no_running_turn_goes_to_the_runtimes_own_answerers()
    {
        await using var session = await _client.StartSessionAsync(new SessionConfig(Path.GetTempPath()));

        // No turn runs: no route takes it, and the session's profile (DeclineAll) is not asked.
        var reply = await _server.SendServerRequestAsync("item/commandExecution/requestApproval", Approval(session.ThreadId, "call-1")).WaitAsync(Deadline);

        Assert.Equal("accept", (string?)reply["decision"]);
    }

    private static async Task<string> NextDeltaAsync(IAsyncEnumerator<CodexTurnEvent> events)
    {
        Assert.True(await events.MoveNextAsync());
        return Assert.IsType<MessageDeltaEvent>(events.Current).Delta;
    }

    private static JsonObject Delta(string threadId, string text) =>
        new() { ["threadId"] = threadId, ["turnId"] = "turn-1", ["itemId"] = "msg-1", ["delta"] = text };

    private static JsonObject Approval(string threadId, string itemId) =>
        new() { ["threadId"] = threadId, ["turnId"] = "turn-1", ["itemId"] = itemId, ["command"] = "touch x", ["cwd"] = Path.GetTempPath() };

    private sealed class AcceptingHandler : ICommandApprovalHandler
    {
        public ValueTask<CommandExecutionRequestApprovalResponse> HandleAsync(CommandExecutionRequestApprovalParams request, CodexServerRequestContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new CommandExecutionRequestApprovalResponse { Decision = new CommandExecutionApprovalDecision.Accept() });
    }
}
