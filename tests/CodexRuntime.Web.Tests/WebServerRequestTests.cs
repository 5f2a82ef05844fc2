using System.Text.Json;
using System.Text.Json.Nodes;
using CodexRuntime.Testing;

namespace CodexRuntime.Web.Tests;

/// <summary>
/// The server-request kinds besides command and file change (permissions, user input, MCP elicitation, dynamic tool
/// calls) reach the owning web session's approval subscribers through its running turn, in wire order with the turn's
/// events, with their params, are answered once with a result of their type or an error, and never show their
/// JSON-RPC id; while no turn runs the runtime answers them. Driven through the in-memory <see cref="ScriptedAppServer"/>
/// (the real codex only sends these when a model calls tools an offline test cannot make it call).
/// </summary>
public sealed class WebServerRequestTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly ScriptedAppServer _server = new();
    private readonly DirectoryInfo _cwd = Directory.CreateTempSubdirectory("codex-web-requests-");
    private CodexClient _client = null!;
    private WebAdapter _web = null!;

    public static TheoryData<string, string, string, string> Kinds => new()
    {
        {
            "item/permissions/requestApproval", "permissions",
            """{"cwd":"/tmp","itemId":"item-1","permissions":{"network":{"enabled":true}},"reason":"needs the network"}""",
            """{"permissions":{"network":{"enabled":true}},"scope":"turn"}"""
        },
        {
            "item/tool/requestUserInput", "userInput",
            """{"itemId":"item-1","questions":[{"id":"q1","header":"Pick","question":"Which one?","options":null}]}""",
            """{"answers":{"q1":{"answers":["the first"]}}}"""
        },
        {
            "mcpServer/elicitation/request", "mcpElicitation",
            """{"serverName":"docs","mode":"form","message":"Your name?","requestedSchema":{"type":"object","properties":{"name":{"type":"string"}}}}""",
            """{"action":"accept","content":{"name":"Ada"}}"""
        },
        {
            "item/tool/call", "dynamicToolCall",
            """{"callId":"call-1","tool":"lookup","arguments":{"q":"x"}}""",
            """{"contentItems":[{"type":"inputText","text":"42"}],"success":true}"""
        },
    };

    public async Task InitializeAsync()
    {
        _client = new CodexClient(_server.Attach(new ClientConfig()));
        await _client.ConnectAsync().WaitAsync(Deadline);
        _web = new WebAdapter(_client, new WebAdapterOptions { Cwd = _cwd.FullName });
    }

    public async Task DisposeAsync()
    {
        await _web.DisposeAsync();
        await _client.DisposeAsync();
        await _server.DisposeAsync();
        _cwd.Delete(recursive: true);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_server_request_reaches_the_sessions_approval_stream_and_its_result_reaches_codex(string method, string kind, string parameters, string result)
    {
        var session = await _web.CreateSessionAsync("tenant-a", Body("""{"artifactId":"doc"}"""));
        await StartTurnAsync(_web, session);
        using var stop = new CancellationTokenSource(Deadline);
        await using var approvals = _web.SubscribeApprovalsAsync("tenant-a", session.SessionId, null, stop.Token).GetAsyncEnumerator(stop.Token);

        var request = WithThread(parameters, session.ThreadId);
        var reply = _server.SendServerRequestAsync(method, request);
        Assert.True(await approvals.MoveNextAsync());
        var announced = JsonNode.Parse(approvals.Current.Data)!.AsObject();
        Assert.Equal("approval", approvals.Current.Kind);
        Assert.Equal(kind, (string?)announced["kind"]);
        Assert.True(JsonNode.DeepEquals(request, announced["params"]), announced.ToJsonString());
        Assert.DoesNotContain("scripted-", approvals.Current.Data, StringComparison.Ordinal); // the JSON-RPC id stays on the server
        Assert.Empty(announced["decisions"]!.AsArray());
        var approvalId = (string)announced["approvalId"]!;

        // Another tenant cannot see or answer it; a wrong shape is refused and leaves it pending.
        var foreign = await Assert.ThrowsAsync<CodexWebException>(() => _web.AnswerApprovalAsync("tenant-b", session.SessionId, approvalId, Body(result)));
        Assert.Equal(CodexWebErrorKind.NotFound, foreign.Kind);
        var wrong = await Assert.ThrowsAsync<CodexWebException>(() => _web.AnswerApprovalAsync("tenant-a", session.SessionId, approvalId, Body("""{"result":{"unexpected":1}}""")));
        Assert.Equal(CodexWebErrorKind.InvalidApprovalAnswer, wrong.Kind);
        Assert.Equal("result", wrong.Member);
        var decision = await Assert.ThrowsAsync<CodexWebException>(() => _web.AnswerApprovalAsync("tenant-a", session.SessionId, approvalId, Body("""{"decision":"accept"}""")));
        Assert.Equal(CodexWebErrorKind.InvalidApprovalAnswer, decision.Kind);
        Assert.False(reply.IsCompleted);
        Assert.Single(_web.GetSessionState("tenant-a", session.SessionId).PendingApprovals);

        await _web.AnswerApprovalAsync("tenant-a", session.SessionId, approvalId, Body($$"""{"result":{{result}}}"""));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(result), await reply.WaitAsync(Deadline)));
        Assert.True(await approvals.MoveNextAsync());
        Assert.Equal("approvalResolved", approvals.Current.Kind);
        Assert.Equal("result", (string?)JsonNode.Parse(approvals.Current.Data)!["outcome"]);
        Assert.Empty(_web.GetSessionState("tenant-a", session.SessionId).PendingApprovals);

        // Single use.
        var again = await Assert.ThrowsAsync<CodexWebException>(() => _web.AnswerApprovalAsync("tenant-a", session.SessionId, approvalId, Body($$"""{"result":{{result}}}""")));
        Assert.Equal(CodexWebErrorKind.NotFound, again.Kind);
        await EndTurnAsync(session);
    }

    [Fact]
    public async Task A_request_reaches_the_event_stream_between_the_deltas_around_it_and_the_turn_goes_on_once_it_is_answered()
    {
        var session = await _web.CreateSessionAsync("tenant-a", Body("""{"artifactId":"doc"}"""));
        await StartTurnAsync(_web, session);
        using var stop = new CancellationTokenSource(Deadline);
        await using var events = _web.SubscribeEventsAsync("tenant-a", session.SessionId, null, stop.Token).GetAsyncEnumerator(stop.Token);
        Assert.True(await events.MoveNextAsync());
        Assert.Equal("turnStarted", events.Current.Kind);

        // One burst: delta, request, delta, in that order on the wire.
        var before = _server.NotifyAsync("item/agentMessage/delta", Delta(session.ThreadId, "before"));
        var reply = _server.SendServerRequestAsync("item/tool/requestUserInput", WithThread("""{"itemId":"item-1","questions":[{"id":"q1","header":"Pick","question":"Which one?","options":null}]}""", session.ThreadId));
        var after = _server.NotifyAsync("item/agentMessage/delta", Delta(session.ThreadId, "after"));
        await Task.WhenAll(before, after).WaitAsync(Deadline);

        Assert.True(await events.MoveNextAsync());
        Assert.Equal(("delta", "before"), (events.Current.Kind, (string?)JsonNode.Parse(events.Current.Data)!["text"]));
        Assert.True(await events.MoveNextAsync());
        Assert.Equal("approval", events.Current.Kind);
        var approval = JsonNode.Parse(events.Current.Data)!;
        Assert.Equal(("userInput", "turn-1"), ((string?)approval["kind"], (string?)approval["turnId"]));

        // The delta written after the request is recorded only once the request is answered.
        await _web.AnswerApprovalAsync("tenant-a", session.SessionId, (string)approval["approvalId"]!, Body("""{"result":{"answers":{"q1":{"answers":["the first"]}}}}"""));
        Assert.Equal("the first", (string?)(await reply.WaitAsync(Deadline))["answers"]?["q1"]?["answers"]?[0]);
        Assert.True(await events.MoveNextAsync());
        Assert.Equal("approvalResolved", events.Current.Kind);
        Assert.True(await events.MoveNextAsync());
        Assert.Equal(("delta", "after"), (events.Current.Kind, (string?)JsonNode.Parse(events.Current.Data)!["text"]));
        await EndTurnAsync(session);
    }

    [Fact]
    public async Task A_request_while_no_turn_runs_is_answered_by_the_runtime_policy_and_never_reaches_the_session()
    {
        var session = await _web.CreateSessionAsync("tenant-a", Body("""{"artifactId":"doc"}"""));

        var reply = await _server.SendServerRequestAsync("item/tool/requestUserInput", WithThread("""{"itemId":"item-1","questions":[]}""", session.ThreadId)).WaitAsync(Deadline);

        // At once, not at a deadline: the runtime's unhandled policy has no decline form for user input, so an error.
        Assert.NotNull(reply["error"]);
        Assert.Empty(_web.GetSessionState("tenant-a", session.SessionId).PendingApprovals);
        Assert.Equal(0, _web.GetSessionState("tenant-a", session.SessionId).LastEventId);
    }

    [Fact]
    public async Task A_request_answered_with_an_error_reaches_codex_as_a_json_rpc_error_and_one_queued_before_anyone_subscribed_is_replayed()
    {
        var session = await _web.CreateSessionAsync("tenant-a", Body("""{"artifactId":"doc"}"""));
        await StartTurnAsync(_web, session);
        var reply = _server.SendServerRequestAsync("item/tool/call", WithThread("""{"callId":"call-1","tool":"lookup","arguments":{}}""", session.ThreadId));

        // Nobody was subscribed when it came: the first subscriber gets it.
        using var stop = new CancellationTokenSource(Deadline);
        await using var approvals = _web.SubscribeApprovalsAsync("tenant-a", session.SessionId, null, stop.Token).GetAsyncEnumerator(stop.Token);
        Assert.True(await approvals.MoveNextAsync());
        var approvalId = (string)JsonNode.Parse(approvals.Current.Data)!["approvalId"]!;

        await _web.AnswerApprovalAsync("tenant-a", session.SessionId, approvalId, Body("""{"error":{"message":"the user refused"}}"""));
        var error = (await reply.WaitAsync(Deadline))["error"]!;
        Assert.Equal("the user refused", (string?)error["message"]);
        await EndTurnAsync(session);
    }

    [Fact]
    public async Task A_kind_the_server_keeps_for_itself_is_answered_by_the_runtime_policy_and_never_reaches_the_session()
    {
        var options = new WebAdapterOptions { Cwd = _cwd.FullName };
        options.ClientAnsweredRequests.Remove("dynamicToolCall");
        await using var keeping = new WebAdapter(_client, options);
        var session = await keeping.CreateSessionAsync("tenant-a", Body("""{"artifactId":"doc"}"""));
        await StartTurnAsync(keeping, session);

        var reply = await _server.SendServerRequestAsync("item/tool/call", WithThread("""{"callId":"call-1","tool":"lookup","arguments":{}}""", session.ThreadId)).WaitAsync(Deadline);

        Assert.NotNull(reply["error"]); // the runtime's unhandled policy: a JSON-RPC error, at once, though a turn runs
        Assert.Empty(keeping.GetSessionState("tenant-a", session.SessionId).PendingApprovals);
        await EndTurnAsync(session);
    }

    [Fact]
    public void An_unknown_kind_in_the_options_is_refused_naming_the_kinds_that_exist()
    {
        var options = new WebAdapterOptions { Cwd = _cwd.FullName };
        options.ClientAnsweredRequests.Add("authRefresh");
        var problem = Assert.Single(options.Validate());
        Assert.Contains("'authRefresh'", problem, StringComparison.Ordinal);
        Assert.Contains("dynamicToolCall", problem, StringComparison.Ordinal);
    }

    /// <summary>Starts turn <c>turn-1</c> in <paramref name="session"/>: the requests of these kinds come on a running turn.</summary>
    private async Task StartTurnAsync(WebAdapter web, WebSessionInfo session)
    {
        var starting = web.CreateTurnAsync("tenant-a", session.SessionId, Body("""{"text":"go"}"""));
        var start = await _server.ReadRequestAsync("turn/start").WaitAsync(Deadline);
        await start.RespondAsync(new JsonObject { ["turn"] = new JsonObject { ["id"] = "turn-1", ["items"] = new JsonArray(), ["status"] = "inProgress", ["error"] = null } });
        await starting.WaitAsync(Deadline);
    }

    /// <summary>Ends the turn, so that closing the adapter need not interrupt it.</summary>
    private Task EndTurnAsync(WebSessionInfo session) =>
        _server.NotifyAsync("turn/completed", new JsonObject { ["threadId"] = session.ThreadId, ["turn"] = new JsonObject { ["id"] = "turn-1", ["items"] = new JsonArray(), ["status"] = "completed", ["error"] = null } });

    private static JsonObject Delta(string threadId, string text) =>
        new() { ["threadId"] = threadId, ["turnId"] = "turn-1", ["itemId"] = "msg-1", ["delta"] = text };

    private static JsonObject WithThread(string parameters, string threadId)
    {
        var node = JsonNode.Parse(parameters)!.AsObject();
        node["threadId"] = threadId;
        node["turnId"] = "turn-1";
        return node;
    }

    private static JsonElement Body(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
