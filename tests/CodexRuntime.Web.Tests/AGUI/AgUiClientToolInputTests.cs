using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CodexRuntime.Events;
using CodexRuntime.Protocol;
using CodexRuntime.Testing;
using CodexRuntime.Web.Tests.AGUI;
using CodexRuntime.Web.Tests.Support;

namespace CodexRuntime.Web.Tests.AGUI;

/// <summary>
/// AG-UI client tools against hostile and odd input, on the real codex, read as plain SSE: tools without the server's
/// experimental opt-in, bad names, duplicates and too many tools are ProblemDetails before anything reaches codex; a
/// tool message for a call that does not exist is a 404, a new user message while a call waits a 409, two results for
/// one call or a result with a new message a 400, all leaving the call waiting; a tool message with an <c>error</c> is a failed call; a client that resends its whole history
/// (the answered tool message included) with a new message starts a new turn without answering anything twice; and
/// a call nobody answers is answered at the deadline, its late result refused once and then kept as history (also
/// when the server's options leave dynamic tool calls out of the requests browsers answer over REST); a thread whose
/// session was let go still has its tools when it is resumed.
/// </summary>
public sealed class AgUiClientToolInputTests
{
    private static readonly string Newest = CodexProtocolVersions.Pinned.ToString();

    [Fact]
    public async Task Tools_without_the_experimental_opt_in_are_refused_naming_the_fix_and_the_capabilities_say_so()
    {
        await using var host = await AgUiClientToolTests.StartAsync(Newest, experimentalApi: false);
        using var audit = host.Client.Runtime.Subscribe(new CodexSubscriptionOptions { Capacity = 100_000 });
        var seen = new List<CodexEnvelope>();
        using var a = host.For("tenant-a");

        using var refused = await a.PostJsonAsync("/agui", WithTools(AgUiClientToolTests.LookupTicket()));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.ProblemAsync();
        Assert.Equal("tools", (string?)problem["member"]);
        Assert.Contains("ExperimentalApi = true", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Contains($"experimental in codex ({Newest})", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Equal(0, audit.Sent(seen, "thread/start"));
        Assert.Empty(host.Model.ModelRequests);
        Assert.False((bool)JsonNode.Parse(await a.GetStringAsync("/agui"))!["tools"]!["clientProvided"]!);
    }

    [Fact]
    public async Task Bad_tool_names_duplicates_and_too_many_tools_are_refused_naming_the_member_before_codex_sees_them()
    {
        await using var host = await AgUiClientToolTests.StartAsync(Newest);
        using var audit = host.Client.Runtime.Subscribe(new CodexSubscriptionOptions { Capacity = 100_000 });
        var seen = new List<CodexEnvelope>();
        using var a = host.For("tenant-a");
        var cases = new (JsonObject[] Tools, string Member)[]
        {
            ([Tool("lookup ticket")], "tools[0].name"),
            ([Tool("lookup.ticket")], "tools[0].name"),
            ([Tool("")], "tools[0].name"),
            ([Tool(new string('t', 65))], "tools[0].name"),
            ([Tool("lookup_tïcket")], "tools[0].name"),
            ([new JsonObject { ["description"] = "no name" }], "tools[0].name"),
            ([Tool("lookup_ticket"), Tool("lookup_ticket")], "tools[1].name"),
            ([.. Enumerable.Range(0, 33).Select(i => Tool($"tool_{i}"))], "tools"),
            ([new JsonObject { ["name"] = "lookup_ticket" }], "tools[0].description"),
            ([With(Tool("lookup_ticket"), "parameters", "{}")], "tools[0].parameters"),
            ([With(Tool("lookup_ticket"), "parameters", new JsonObject { ["type"] = "string" })], "tools[0].parameters.type"),
            ([With(Tool("lookup_ticket"), "handler", "fetch('/admin')")], "tools[0].handler"),
        };

        foreach (var (tools, member) in cases)
        {
            using var response = await a.PostJsonAsync("/agui", WithTools(tools));
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{member}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal(member, (string?)(await response.ProblemAsync())["member"]);
        }

        Assert.Equal(0, audit.Sent(seen, "thread/start"));
        Assert.Equal(0, host.Adapter.OpenSessions);
        Assert.True((bool)JsonNode.Parse(await a.GetStringAsync("/agui"))!["tools"]!["clientProvided"]!);
    }

    [Theory]
    [MemberData(nameof(WebTheories.Versions), MemberType = typeof(WebTheories))]
    public async Task A_waiting_call_takes_only_its_own_result_and_a_resent_history_answers_nothing_twice(string version)
    {
        await using var host = await AgUiFlowTests.StartAsync(version,
        [
            FakeModelResponse.FunctionCall("lookup_ticket", new JsonObject { ["id"] = "T-42" }, "call-1"),
            FakeModelResponse.Text("The lookup failed."),
            FakeModelResponse.Text("second answer"),
        ], experimentalApi: true);
        using var audit = host.Client.Runtime.Subscribe(new CodexSubscriptionOptions { Capacity = 100_000 });
        var seen = new List<CodexEnvelope>();
        using var a = host.For("tenant-a");
        var history = new JsonArray(AgUiHttp.User("m1", "What is the status of T-42?"));
        var first = await a.RunAsync(Run("run-1", Clone(history)));
        Assert.Equal(["call-1"], first[^1]["outcome"]!["pendingToolCallIds"]!.AsArray().Select(i => (string)i!));
        history.Add(new JsonObject
        {
            ["id"] = "call-1", ["role"] = "assistant",
            ["toolCalls"] = new JsonArray(new JsonObject { ["id"] = "call-1", ["type"] = "function", ["function"] = new JsonObject { ["name"] = "lookup_ticket", ["arguments"] = "{\"id\":\"T-42\"}" } }),
        });
        var sentBefore = audit.Outbound(seen);

        // A result for a call that does not exist, and a new message while the call waits: refused, nothing sent.
        using var unknown = await a.PostJsonAsync("/agui", Run("run-2", Plus(history, ToolMessage("tool-x", "call-nope", "made up"))));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("messages[2].toolCallId", (string?)(await unknown.ProblemAsync())["member"]);
        using var busy = await a.PostJsonAsync("/agui", Run("run-3", Plus(history, AgUiHttp.User("m2", "never mind"))));
        Assert.Equal(HttpStatusCode.Conflict, busy.StatusCode);

        // Two results for the call, or a result with a new message: refused too (one answer; the message goes in the next run).
        var twice = Plus(Plus(history, ToolMessage("tool-a", "call-1", "open")), ToolMessage("tool-b", "call-1", "closed"));
        using var doubled = await a.PostJsonAsync("/agui", Run("run-3", twice));
        Assert.Equal((HttpStatusCode.BadRequest, "messages[3]"), (doubled.StatusCode, (string?)(await doubled.ProblemAsync())["member"]));
        var withMessage = Plus(Plus(history, ToolMessage("tool-a", "call-1", "open")), AgUiHttp.User("m2", "and also"));
        using var mixed = await a.PostJsonAsync("/agui", Run("run-3", withMessage));
        Assert.Equal((HttpStatusCode.BadRequest, "messages"), (mixed.StatusCode, (string?)(await mixed.ProblemAsync())["member"]));
        Assert.Equal(sentBefore, audit.Outbound(seen));

        // The tool failed: its error reaches codex as a failed call, and the same turn goes on.
        var failed = ToolMessage("tool-1", "call-1", string.Empty);
        failed["error"] = "ticket service unavailable";
        history.Add(failed);
        var second = await a.RunAsync(Run("run-4", Clone(history)));

        AgUiHttp.AssertWellFormed(second);
        Assert.Equal("The lookup failed.", Text(second));
        Assert.Contains("ticket service unavailable", AgUiClientToolTests.FunctionCallOutput(host.Model.ModelRequests[1], "call-1"), StringComparison.Ordinal);
        Assert.Equal(1, audit.Sent(seen, "turn/start"));
        var reply = seen.Select(e => (e, Json: Encoding.UTF8.GetString(e.Json.Span)))
            .Single(e => e.e.Direction == CodexDirection.Outbound && e.Json.Contains("contentItems", StringComparison.Ordinal)).Json;
        Assert.False((bool)JsonNode.Parse(reply)!["result"]!["success"]!);

        // The whole history again (the answered tool message included) with a new message: a new turn, nothing answered twice.
        history.Add(AgUiHttp.Assistant("msg-x", "The lookup failed."));
        history.Add(AgUiHttp.User("m3", "Thanks."));
        var third = await a.RunAsync(Run("run-5", Clone(history)));

        AgUiHttp.AssertWellFormed(third);
        Assert.Equal("second answer", Text(third));
        Assert.Equal("Thanks.", host.Model.ModelRequests[^1].LastUserText);
        Assert.Equal(2, audit.Sent(seen, "turn/start"));
    }

    [Fact]
    public async Task An_unanswered_call_is_answered_by_the_deadline_and_its_late_result_is_refused_once_then_ignored()
    {
        await using var host = await AgUiFlowTests.StartAsync(Newest,
        [
            FakeModelResponse.FunctionCall("lookup_ticket", new JsonObject { ["id"] = "T-42" }, "call-1"),
            FakeModelResponse.Text("No answer from the lookup."),
            FakeModelResponse.Text("second answer"),
        ], options =>
        {
            options.Adapter.ApprovalTimeout = TimeSpan.FromSeconds(1);
            options.Adapter.ClientAnsweredRequests.Remove("dynamicToolCall"); // a thread with client tools takes their calls anyway
        }, experimentalApi: true);
        using var a = host.For("tenant-a");
        var history = new JsonArray(AgUiHttp.User("m1", "What is the status of T-42?"));
        var first = await a.RunAsync(Run("run-1", Clone(history)));
        Assert.Equal(["call-1"], first[^1]["outcome"]!["pendingToolCallIds"]!.AsArray().Select(i => (string)i!));

        // Nobody answers: at the deadline the server answers codex (an error, per the deadline policy) and the turn goes on.
        await host.Model.WaitForModelRequestAsync(2, WebHost.Deadline);
        var reattached = await a.RunAsync(Run("run-1", Clone(history)));
        AgUiHttp.AssertWellFormed(reattached);
        Assert.DoesNotContain(reattached, e => e.Type() == "TOOL_CALL_START"); // the call no longer waits: nothing to run
        Assert.Equal("No answer from the lookup.", Text(reattached));
        Assert.Null(reattached[^1]["outcome"]!["pendingToolCallIds"]);

        // The late result alone is a 404; with a new message it is history, and the new turn starts.
        history.Add(ToolMessage("tool-1", "call-1", "status of T-42: open"));
        using var late = await a.PostJsonAsync("/agui", Run("run-2", Clone(history)));
        Assert.Equal(HttpStatusCode.NotFound, late.StatusCode);
        Assert.Equal("messages[1].toolCallId", (string?)(await late.ProblemAsync())["member"]);
        history.Add(AgUiHttp.User("m2", "Try again later."));
        var next = await a.RunAsync(Run("run-3", Clone(history)));
        Assert.Equal("second answer", Text(next));
        Assert.Equal(3, host.Model.ModelRequests.Count);
    }

    [Fact]
    public async Task A_thread_whose_session_was_let_go_keeps_its_client_tools_when_resumed()
    {
        await using var host = await AgUiFlowTests.StartAsync(Newest,
        [
            FakeModelResponse.Text("first answer"),
            FakeModelResponse.Text("other thread"),
            FakeModelResponse.FunctionCall("lookup_ticket", new JsonObject { ["id"] = "T-7" }, "call-2"),
            FakeModelResponse.Text("T-7 is open."),
        ], options => options.Adapter.MaxSessionsPerTenant = 1, experimentalApi: true);
        using var audit = host.Client.Runtime.Subscribe(new CodexSubscriptionOptions { Capacity = 100_000 });
        var seen = new List<CodexEnvelope>();
        using var a = host.For("tenant-a");
        var history = new JsonArray(AgUiHttp.User("m1", "hello"));
        var first = await a.RunAsync(Run("run-1", Clone(history)));
        history.Add(AgUiHttp.Assistant((string)first.First(e => e.Type() == "TEXT_MESSAGE_START")["messageId"]!, "first answer"));
        await a.RunAsync(AgUiHttp.Input("thread-2", "run-x", [AgUiHttp.User("x1", "another conversation")])); // lets thread-1's session go

        history.Add(AgUiHttp.User("m2", "What is the status of T-7?"));
        var resumed = await a.RunAsync(Run("run-2", Clone(history)));

        AgUiHttp.AssertWellFormed(resumed);
        Assert.Contains(resumed, e => e.Type() == "MESSAGES_SNAPSHOT");
        var start = Assert.Single(resumed, e => e.Type() == "TOOL_CALL_START");
        Assert.Equal(("call-2", "client"), ((string)start["toolCallId"]!, (string)start["metadata"]!["codex"]!["executedBy"]!));
        Assert.Equal(["call-2"], resumed[^1]["outcome"]!["pendingToolCallIds"]!.AsArray().Select(i => (string)i!));
        Assert.Equal(1, audit.Sent(seen, "thread/resume"));

        history.Add(ToolMessage("tool-2", "call-2", "status of T-7: open"));
        var answered = await a.RunAsync(Run("run-3", Clone(history)));
        Assert.Equal("T-7 is open.", Text(answered));
        Assert.Contains("status of T-7: open", AgUiClientToolTests.FunctionCallOutput(host.Model.ModelRequests[^1], "call-2"), StringComparison.Ordinal);
    }

    private static JsonObject Run(string runId, JsonArray messages)
    {
        var input = AgUiHttp.Input("thread-1", runId, messages);
        input["tools"] = new JsonArray(AgUiClientToolTests.LookupTicket());
        return input;
    }

    private static JsonObject WithTools(params JsonObject[] tools)
    {
        var input = AgUiHttp.Input("thread-1", "run-1", [AgUiHttp.User("m1", "What is the status of T-42?")]);
        input["tools"] = new JsonArray([.. tools]);
        return input;
    }

    private static JsonObject Tool(string name) => new() { ["name"] = name, ["description"] = "A tool." };

    private static JsonObject ToolMessage(string id, string callId, string content) => new() { ["id"] = id, ["role"] = "tool", ["toolCallId"] = callId, ["content"] = content };

    private static JsonObject With(JsonObject tool, string name, JsonNode value)
    {
        tool[name] = value;
        return tool;
    }

    private static JsonArray Clone(JsonArray messages) => messages.DeepClone().AsArray();

    private static JsonArray Plus(JsonArray messages, JsonObject message)
    {
        var copy = Clone(messages);
        copy.Add(message);
        return copy;
    }

    private static string Text(List<JsonObject> events) => string.Concat(events.Where(e => e.Type() == "TEXT_MESSAGE_CONTENT").Select(e => (string)e["delta"]!));
}
