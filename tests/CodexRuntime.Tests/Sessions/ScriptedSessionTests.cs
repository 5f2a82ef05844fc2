using System.Text;
using System.Text.Json.Nodes;
using CodexRuntime.Protocol;
using CodexRuntime.ServerRequests;
using CodexRuntime.Testing;

namespace CodexRuntime.Tests.Sessions;

/// <summary>Sessions against the in-memory <see cref="ScriptedAppServer"/>: no process, the server's side scripted.</summary>
public sealed class ScriptedSessionTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly ScriptedAppServer _server = new();
    private CodexClient _client = null!;

    public async Task InitializeAsync()
    {
        var config = _server.Attach(new ClientConfig { Runtime = { RestartPolicy = CodexRestartPolicy.OnCrash(1, TimeSpan.FromMilliseconds(10)) } });
        _client = new CodexClient(config);
        await _client.ConnectAsync().WaitAsync(Deadline);
    }

    public async Task DisposeAsync()
    {
        await _client.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Interleaved_turns_of_two_sessions_each_get_their_own_events_in_order_and_a_complete_result()
    {
        await using var first = await _client.StartSessionAsync(new SessionConfig(Path.GetTempPath()));
        await using var second = await _client.StartSessionAsync(new SessionConfig(Path.GetTempPath()));
        await using var one = await StartStreamingTurnAsync(first, "turn-a");
        await using var two = await StartStreamingTurnAsync(second, "turn-b");
        var readOne = ReadDeltasAsync(one);
        var readTwo = ReadDeltasAsync(two);

        const int deltas = 2_000;
        await _server.NotifyAsync("item/started", Item(first.ThreadId, "turn-a", "msg-a", string.Empty));
        await _server.NotifyAsync("item/started", Item(second.ThreadId, "turn-b", "msg-b", string.Empty));
        var expectedOne = new StringBuilder();
        var expectedTwo = new StringBuilder();
        for (var i = 0; i < deltas; i++)
        {
            await _server.NotifyAsync("item/agentMessage/delta", Delta(first.ThreadId, "turn-a", "msg-a", $"a{i};"));
            await _server.NotifyAsync("item/agentMessage/delta", Delta(second.ThreadId, "turn-b", "msg-b", $"b{i};"));
            expectedOne.Append($"a{i};");
            expectedTwo.Append($"b{i};");
        }

        await _server.NotifyAsync("item/completed", Item(first.ThreadId, "turn-a", "msg-a", expectedOne.ToString()));
        await _server.NotifyAsync("turn/completed", Completed(first.ThreadId, "turn-a"));
        await _server.NotifyAsync("item/completed", Item(second.ThreadId, "turn-b", "msg-b", expectedTwo.ToString()));
        await _server.NotifyAsync("turn/completed", Completed(second.ThreadId, "turn-b"));

        var (textOne, resultOne) = await readOne.WaitAsync(Deadline);
        var (textTwo, resultTwo) = await readTwo.WaitAsync(Deadline);
        Assert.Equal(expectedOne.ToString(), textOne);
        Assert.Equal(expectedTwo.ToString(), textTwo);
        Assert.Equal(expectedOne.ToString(), resultOne.Text);
        Assert.Equal(expectedTwo.ToString(), resultTwo.Text);
        Assert.Equal(TurnStatus.Completed, resultOne.Status);
    }

    [Fact]
    public async Task A_restart_mid_turn_ends_the_stream_with_the_transport_error_and_the_session_goes_on_after_recovery()
    {
        await using var session = await _client.StartSessionAsync(new SessionConfig(Path.GetTempPath()));
        await using var turn = await StartStreamingTurnAsync(session, "turn-1");
        await _server.NotifyAsync("item/agentMessage/delta", Delta(session.ThreadId, "turn-1", "msg-1", "partial"));
        var events = new List<CodexTurnEvent>();
        var reading = Task.Run(async () =>
        {
            await foreach (var e in turn)
            {
                events.Add(e);
            }
        });

        await _server.CrashAsync(9);
        var error = await Assert.ThrowsAsync<CodexTransportClosedException>(() => reading.WaitAsync(Deadline));
        Assert.Equal(9, error.ExitCode);
        Assert.Equal("partial", Assert.IsType<MessageDeltaEvent>(Assert.Single(events)).Delta);

        await _server.WaitForConnectionAsync(2);
        var asking = session.AskAsync("again");
        var start = await _server.ReadRequestAsync("turn/start");
        Assert.Equal(session.ThreadId, (string?)start.Params?["threadId"]);
        await start.RespondAsync(TurnStarted("turn-2"));
        await _server.NotifyAsync("item/completed", Item(session.ThreadId, "turn-2", "msg-2", "after the restart"));
        await _server.NotifyAsync("turn/completed", Completed(session.ThreadId, "turn-2"));
        Assert.Equal("after the restart", (await asking.WaitAsync(Deadline)).Text);
        Assert.Equal(2, _server.ConnectionCount);
    }

    [Fact]
    public async Task An_approval_is_answered_from_the_stream_and_one_the_reader_skips_is_answered_by_policy()
    {
        await using var session = await _client.StartSessionAsync(new SessionConfig(Path.GetTempPath()));
        await using var turn = await StartStreamingTurnAsync(session, "turn-1");
        var answered = _server.SendServerRequestAsync("item/commandExecution/requestApproval", Approval(session.ThreadId, "turn-1", "call-1"));
        Task<JsonNode>? skipped = null;
        var seen = new List<string>();
        Task<string?>? finishing = null;
        await foreach (var e in turn.WithCancellation(new CancellationTokenSource(Deadline).Token))
        {
            if (e is not ApprovalRequestedEvent approval)
            {
                continue;
            }

            seen.Add(approval.Request.ItemId!);
            if (approval.Request.ItemId == "call-1")
            {
                Assert.True(await approval.Request.RespondAsync(CodexApprovalDecision.Accept));
                Assert.Equal("accept", (string?)(await answered.WaitAsync(Deadline))["decision"]);
                skipped = _server.SendServerRequestAsync("item/commandExecution/requestApproval", Approval(session.ThreadId, "turn-1", "call-2"));
            }
            else
            {
                // Not answered here: asking for the next event hands it to the profile's handler (DeclineAll by
                // default), and only then does the server get its reply and end the turn.
                finishing = Task.Run(async () =>
                {
                    var reply = await skipped!.WaitAsync(Deadline);
                    await _server.NotifyAsync("item/completed", Item(session.ThreadId, "turn-1", "msg-1", "done"));
                    await _server.NotifyAsync("turn/completed", Completed(session.ThreadId, "turn-1"));
                    return (string?)reply["decision"];
                });
            }
        }

        Assert.Equal("decline", await finishing!.WaitAsync(Deadline));
        Assert.Equal(["call-1", "call-2"], seen);
        Assert.Equal("done", (await turn.GetResultAsync()).Text);
    }

    [Fact]
    public async Task Approvals_of_a_turn_without_a_stream_are_answered_by_the_profile()
    {
        var profile = new RunProfile { ApprovalPolicy = CodexApprovalPolicy.OnRequest, Approvals = CodexApprovalHandler.AcceptAll };
        await using var session = await _client.StartSessionAsync(new SessionConfig(Path.GetTempPath(), profile));
        var asking = session.AskAsync("go");
        var start = await _server.ReadRequestAsync("turn/start");
        await start.RespondAsync(TurnStarted("turn-1"));

        var reply = await _server.SendServerRequestAsync("item/commandExecution/requestApproval", Approval(session.ThreadId, "turn-1", "call-1"));
        Assert.Equal("accept", (string?)reply["decision"]);

        await _server.NotifyAsync("item/completed", Item(session.ThreadId, "turn-1", "msg-1", "ran it"));
        await _server.NotifyAsync("turn/completed", Completed(session.ThreadId, "turn-1"));
        Assert.Equal("ran it", (await asking.WaitAsync(Deadline)).Text);
    }

    [Fact]
    public async Task Delta_approval_delta_delta_in_one_burst_reach_the_stream_in_wire_order_a_thousand_times_in_a_row()
    {
        await using var session = await _client.StartSessionAsync(new SessionConfig(Path.GetTempPath()));
        await using var turn = await StartStreamingTurnAsync(session, "turn-1");
        await using var events = turn.GetAsyncEnumerator(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        for (var round = 0; round < 1_000; round++)
        {
            // One burst: the scripted server writes the four lines in call order without waiting for the client.
            var first = _server.NotifyAsync("item/agentMessage/delta", Delta(session.ThreadId, "turn-1", "msg-1", $"a{round}"));
            var approval = _server.SendServerRequestAsync("item/commandExecution/requestApproval", Approval(session.ThreadId, "turn-1", $"call-{round}"));
            var second = _server.NotifyAsync("item/agentMessage/delta", Delta(session.ThreadId, "turn-1", "msg-1", $"b{round}"));
            var third = _server.NotifyAsync("item/agentMessage/delta", Delta(session.ThreadId, "turn-1", "msg-1", $"c{round}"));
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

        await _server.NotifyAsync("turn/completed", Completed(session.ThreadId, "turn-1"));
        Assert.True(await events.MoveNextAsync());
        Assert.IsType<TurnCompletedEvent>(events.Current);
    }

    [Fact]
    public async Task An_approval_for_a_session_with_no_running_turn_goes_to_the_runtimes_policy_not_the_sessions()
    {
        var profile = new RunProfile { ApprovalPolicy = CodexApprovalPolicy.OnRequest, Approvals = CodexApprovalHandler.AcceptAll };
        await using var session = await _client.StartSessionAsync(new SessionConfig(Path.GetTempPath(), profile));

        // No turn runs, so no route takes it: the runtime's UnhandledPolicy (decline) answers, not the profile's AcceptAll.
        var reply = await _server.SendServerRequestAsync("item/commandExecution/requestApproval", Approval(session.ThreadId, "turn-0", "call-1")).WaitAsync(Deadline);

        Assert.Equal("decline", (string?)reply["decision"]);
    }

    [Fact]
    public async Task An_approval_taken_before_a_turn_start_that_fails_goes_back_to_the_runtimes_policy()
    {
        var profile = new RunProfile { ApprovalPolicy = CodexApprovalPolicy.OnRequest, Approvals = CodexApprovalHandler.AcceptAll };
        await using var session = await _client.StartSessionAsync(new SessionConfig(Path.GetTempPath(), profile));
        var starting = session.AskStreamingAsync("go");
        var start = await _server.ReadRequestAsync("turn/start");

        // Written before the error response, so the turn's queue takes it; no turn starts, so the queue hands it back.
        var approval = _server.SendServerRequestAsync("item/commandExecution/requestApproval", Approval(session.ThreadId, "turn-0", "call-1"));
        await start.RespondErrorAsync(-32600, "no turn for you");

        await Assert.ThrowsAnyAsync<CodexException>(() => starting.WaitAsync(Deadline));
        Assert.Equal("decline", (string?)(await approval.WaitAsync(Deadline))["decision"]);
    }

    [Fact]
    public async Task A_user_input_request_of_a_turn_that_takes_them_reaches_the_stream_between_deltas_in_wire_order_and_one_the_reader_skips_goes_to_the_runtime()
    {
        var profile = new RunProfile { TurnServerRequests = { "item/tool/requestUserInput" } };
        await using var session = await _client.StartSessionAsync(new SessionConfig(Path.GetTempPath(), profile));
        await using var turn = await StartStreamingTurnAsync(session, "turn-1");
        await using var events = turn.GetAsyncEnumerator(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        for (var round = 0; round < 200; round++)
        {
            // One burst: the scripted server writes the three lines in call order without waiting for the client.
            var first = _server.NotifyAsync("item/agentMessage/delta", Delta(session.ThreadId, "turn-1", "msg-1", $"a{round}"));
            var asked = _server.SendServerRequestAsync("item/tool/requestUserInput", UserInput(session.ThreadId, "turn-1", $"ask-{round}"));
            var second = _server.NotifyAsync("item/agentMessage/delta", Delta(session.ThreadId, "turn-1", "msg-1", $"b{round}"));
            await Task.WhenAll(first, second).WaitAsync(Deadline);

            Assert.Equal($"a{round}", await NextDeltaAsync(events));
            Assert.True(await events.MoveNextAsync());
            var request = Assert.IsType<ServerRequestEvent>(events.Current).Request;
            Assert.Equal(("item/tool/requestUserInput", $"ask-{round}", "turn-1"), (request.Method, request.ItemId, request.TurnId));
            Assert.True(await request.RespondAsync(CodexServerRequests.ItemToolRequestUserInput, Answer($"answer {round}")));
            Assert.False(await request.RespondErrorAsync(-32000, "a second answer"));
            Assert.Equal($"b{round}", await NextDeltaAsync(events));
            Assert.Equal($"answer {round}", (string?)(await asked.WaitAsync(Deadline))["answers"]?["q1"]?["answers"]?[0]);
        }

        // Not answered: asking for the next event hands it to the runtime's answerers (no handler: UnhandledPolicy,
        // which has no decline form for user input, so a JSON-RPC error), not the deadline 30 s later.
        var skipped = _server.SendServerRequestAsync("item/tool/requestUserInput", UserInput(session.ThreadId, "turn-1", "ask-skipped"));
        Assert.True(await events.MoveNextAsync());
        var unanswered = Assert.IsType<ServerRequestEvent>(events.Current).Request;
        await _server.NotifyAsync("item/agentMessage/delta", Delta(session.ThreadId, "turn-1", "msg-1", "after"));
        Assert.Equal("after", await NextDeltaAsync(events));
        Assert.NotNull((await skipped.WaitAsync(Deadline))["error"]);
        Assert.False(await unanswered.RespondErrorAsync(-32000, "too late"));

        await _server.NotifyAsync("turn/completed", Completed(session.ThreadId, "turn-1"));
        Assert.True(await events.MoveNextAsync());
        Assert.IsType<TurnCompletedEvent>(events.Current);
    }

    [Fact]
    public async Task A_user_input_request_with_no_running_turn_or_in_a_turn_without_a_stream_goes_to_the_runtimes_handler()
    {
        // A server of its own: this client's runtime has a typed user-input handler.
        await using var server = new ScriptedAppServer();
        await using var client = new CodexClient(server.Attach(new ClientConfig
        {
            Runtime = { ServerRequests = { UserInput = new AnswersWith("from the runtime") } },
        }));
        await client.ConnectAsync().WaitAsync(Deadline);
        var profile = new RunProfile { TurnServerRequests = { "item/tool/requestUserInput" } };
        await using var session = await client.StartSessionAsync(new SessionConfig(Path.GetTempPath(), profile));

        // No turn runs, so no route takes it: the runtime's typed handler answers.
        var idle = await server.SendServerRequestAsync("item/tool/requestUserInput", UserInput(session.ThreadId, "turn-0", "ask-1")).WaitAsync(Deadline);
        Assert.Equal("from the runtime", (string?)idle["answers"]?["q1"]?["answers"]?[0]);

        // A turn without a stream has no reader to ask: the runtime answers as well, and the turn goes on.
        var asking = session.AskAsync("go");
        var start = await server.ReadRequestAsync("turn/start");
        await start.RespondAsync(TurnStarted("turn-1"));
        var during = await server.SendServerRequestAsync("item/tool/requestUserInput", UserInput(session.ThreadId, "turn-1", "ask-2")).WaitAsync(Deadline);
        Assert.Equal("from the runtime", (string?)during["answers"]?["q1"]?["answers"]?[0]);
        await server.NotifyAsync("item/completed", Item(session.ThreadId, "turn-1", "msg-1", "done"));
        await server.NotifyAsync("turn/completed", Completed(session.ThreadId, "turn-1"));
        Assert.Equal("done", (await asking.WaitAsync(Deadline)).Text);
    }

    [Fact]
    public async Task A_reader_that_stalls_during_a_200000_delta_turn_loses_only_what_the_bound_drops_counts_it_exactly_and_gets_the_complete_result()
    {
        const int deltas = 200_000;
        const int readBeforeStall = 1_000;
        await using var session = await _client.StartSessionAsync(new SessionConfig(Path.GetTempPath()));
        await using var turn = await StartStreamingTurnAsync(session, "turn-1");
        var stalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var received = new List<int>();
        long lost = 0;
        PromptRunResult? completed = null;
        var reading = Task.Run(async () =>
        {
            await foreach (var e in turn.WithCancellation(new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token))
            {
                switch (e)
                {
                    case MessageDeltaEvent delta:
                        received.Add(int.Parse(delta.Delta.AsSpan(1, delta.Delta.Length - 2)));
                        if (received.Count == readBeforeStall)
                        {
                            // The reader stops here until the server has sent the whole turn.
                            stalled.SetResult();
                            await resume.Task;
                        }

                        break;
                    case EventsLostEvent gap:
                        lost += gap.Count;
                        break;
                    case TurnCompletedEvent end:
                        completed = end.Result;
                        break;
                }
            }
        });

        await _server.NotifyAsync("item/started", Item(session.ThreadId, "turn-1", "msg-1", string.Empty));
        var expected = new StringBuilder();
        for (var i = 0; i < deltas; i++)
        {
            var text = $"<{i}>";
            expected.Append(text);
            await _server.NotifyAsync("item/agentMessage/delta", Delta(session.ThreadId, "turn-1", "msg-1", text));
            if (i == readBeforeStall)
            {
                await stalled.Task.WaitAsync(Deadline);
            }
        }

        await _server.NotifyAsync("item/completed", Item(session.ThreadId, "turn-1", "msg-1", expected.ToString()));
        await _server.NotifyAsync("turn/completed", Completed(session.ThreadId, "turn-1"));
        // The runtime has read every line once the state shows the turn completed; only then may the reader go on.
        var result = await turn.GetResultAsync().WaitAsync(TimeSpan.FromMinutes(1));
        resume.SetResult();
        await reading.WaitAsync(TimeSpan.FromMinutes(1));

        // Bounded: while the reader stood still, at most the queue's delta capacity waited for it.
        Assert.InRange(received.Count, readBeforeStall, readBeforeStall + TurnEventQueue.DeltaCapacity + 1);
        Assert.True(lost > 0, "The stalled reader should have lost deltas beyond the bound.");
        // Exact: every delta was either received or counted as lost, and the received ones are in order.
        Assert.Equal(deltas, received.Count + lost);
        Assert.True(received.SequenceEqual(received.Order()), "Deltas were reordered.");
        Assert.Equal(received.Count, received.Distinct().Count());
        // Complete: the result and the completed event carry the whole text.
        Assert.Equal(expected.ToString(), result.Text);
        Assert.Equal(expected.ToString(), completed!.Text);
    }

    private async Task<CodexTurn> StartStreamingTurnAsync(CodexSession session, string turnId)
    {
        var starting = session.AskStreamingAsync("go");
        var request = await _server.ReadRequestAsync("turn/start");
        Assert.Equal(session.ThreadId, (string?)request.Params?["threadId"]);
        await request.RespondAsync(TurnStarted(turnId));
        return await starting.WaitAsync(Deadline);
    }

    private static async Task<(string Text, PromptRunResult Result)> ReadDeltasAsync(CodexTurn turn)
    {
        var text = new StringBuilder();
        PromptRunResult? result = null;
        await foreach (var e in turn.WithCancellation(new CancellationTokenSource(Deadline).Token))
        {
            switch (e)
            {
                case MessageDeltaEvent delta:
                    text.Append(delta.Delta);
                    break;
                case EventsLostEvent lost:
                    Assert.Fail($"{lost.Count} events were lost.");
                    break;
                case TurnCompletedEvent completed:
                    result = completed.Result;
                    break;
            }
        }

        return (text.ToString(), result!);
    }

    private static async Task<string> NextDeltaAsync(IAsyncEnumerator<CodexTurnEvent> events)
    {
        Assert.True(await events.MoveNextAsync());
        return Assert.IsType<MessageDeltaEvent>(events.Current).Delta;
    }

    private static JsonObject TurnStarted(string turnId) =>
        new() { ["turn"] = new JsonObject { ["id"] = turnId, ["items"] = new JsonArray(), ["status"] = "inProgress", ["error"] = null } };

    private static JsonObject Delta(string threadId, string turnId, string itemId, string text) =>
        new() { ["threadId"] = threadId, ["turnId"] = turnId, ["itemId"] = itemId, ["delta"] = text };

    private static JsonObject Item(string threadId, string turnId, string itemId, string text) =>
        new() { ["threadId"] = threadId, ["turnId"] = turnId, ["item"] = new JsonObject { ["type"] = "agentMessage", ["id"] = itemId, ["text"] = text } };

    private static JsonObject Completed(string threadId, string turnId) =>
        new() { ["threadId"] = threadId, ["turn"] = new JsonObject { ["id"] = turnId, ["items"] = new JsonArray(), ["status"] = "completed", ["error"] = null } };

    private static ToolRequestUserInputResponse Answer(string text) =>
        new() { Answers = new Dictionary<string, ToolRequestUserInputAnswer> { ["q1"] = new() { Answers = [text] } } };

    private static JsonObject UserInput(string threadId, string turnId, string itemId) =>
        new() { ["threadId"] = threadId, ["turnId"] = turnId, ["itemId"] = itemId, ["questions"] = new JsonArray(new JsonObject { ["id"] = "q1", ["header"] = "Pick", ["question"] = "Which one?", ["options"] = null }) };

    private static JsonObject Approval(string threadId, string turnId, string itemId) =>
        new() { ["threadId"] = threadId, ["turnId"] = turnId, ["itemId"] = itemId, ["command"] = "touch x", ["cwd"] = Path.GetTempPath() };

    private sealed class AnswersWith(string answer) : IUserInputHandler
    {
        public ValueTask<ToolRequestUserInputResponse> HandleAsync(ToolRequestUserInputParams request, CodexServerRequestContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(Answer(answer));
    }
}
