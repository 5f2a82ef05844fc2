using System.Net;
using System.Text.Json.Nodes;
using CodexRuntime.Testing;
using CodexRuntime.Web.Tests.Support;

namespace CodexRuntime.Web.Tests.AGUI;

/// <summary>
/// Every server-request kind a browser answers over REST (permissions, user input, MCP elicitation, dynamic tool
/// calls) is an AG-UI interrupt too: its params in the metadata, its answer's shape in the responseSchema, and the
/// resuming run's result reaches codex once, checked first; plan, usage, reasoning and a failed turn map as the table
/// in docs/agui.md says. Driven through the in-memory <see cref="ScriptedAppServer"/>
/// (the real codex only sends these when a model calls tools an offline test cannot make it call).
/// </summary>
public sealed class AgUiServerRequestTests : IAsyncLifetime
{
    private ScriptedAgUiHost _host = null!;

    public async Task InitializeAsync() => _host = await ScriptedAgUiHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [MemberData(nameof(WebServerRequestTests.Kinds), MemberType = typeof(WebServerRequestTests))]
    public async Task A_server_request_is_an_interrupt_whose_resume_sends_its_result_to_codex_and_continues_the_turn(string method, string kind, string parameters, string result)
    {
        var (threadId, first) = await _host.StartRunAsync("run-1");
        using var opened = first;
        var request = JsonNode.Parse(parameters)!.AsObject();
        request["threadId"] = threadId;
        request["turnId"] = "turn-1";
        var reply = _host.Server.SendServerRequestAsync(method, request);
        var interrupted = await first.ReadRunAsync();

        AgUiHttp.AssertWellFormed(interrupted);
        var interrupt = Assert.Single(interrupted[^1]["outcome"]!["interrupts"]!.AsArray())!;
        Assert.Equal("codex." + kind, (string)interrupt["reason"]!);
        Assert.True(JsonNode.DeepEquals(request, interrupt["metadata"]!["codex"]!["params"]), interrupt.ToJsonString());
        Assert.NotNull(interrupt["responseSchema"]!["properties"]!["result"]);
        Assert.DoesNotContain("scripted-", interrupted[^1].ToJsonString(), StringComparison.Ordinal); // the JSON-RPC id stays on the server

        // A decision is not an answer to these kinds: refused, nothing sent.
        var id = (string)interrupt["id"]!;
        using var wrong = await _host.Http.PostJsonAsync("/agui", AgUiHttp.Input("thread-1", "run-2", [], Resume(id, new JsonObject { ["decision"] = "accept" })));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal("resume[0].payload.decision", (string?)(await wrong.ProblemAsync())["member"]);
        Assert.False(reply.IsCompleted);

        using var resumed = await _host.Http.OpenRunAsync(AgUiHttp.Input("thread-1", "run-3", [], Resume(id, new JsonObject { ["result"] = JsonNode.Parse(result) })));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(result), await reply.WaitAsync(WebHost.Deadline)));
        await _host.Server.NotifyAsync("item/agentMessage/delta", new JsonObject { ["threadId"] = threadId, ["turnId"] = "turn-1", ["itemId"] = "msg-1", ["delta"] = "thanks" });
        await _host.CompleteTurnAsync(threadId);
        var rest = await resumed.ReadRunAsync();

        AgUiHttp.AssertWellFormed(rest);
        Assert.Equal(["RUN_STARTED", "TEXT_MESSAGE_START", "TEXT_MESSAGE_CONTENT", "TEXT_MESSAGE_END", "RUN_FINISHED"], rest.Select(e => e.Type()));
        Assert.Equal("success", (string)rest[^1]["outcome"]!["type"]!);
    }

    [Fact]
    public async Task The_plan_is_a_state_snapshot_reasoning_is_a_reasoning_message_and_a_failed_turn_is_a_safe_RUN_ERROR()
    {
        var (threadId, run) = await _host.StartRunAsync("run-1");
        await _host.Server.NotifyAsync("turn/plan/updated", new JsonObject
        {
            ["threadId"] = threadId, ["turnId"] = "turn-1", ["explanation"] = "two steps",
            ["plan"] = new JsonArray(new JsonObject { ["step"] = "read", ["status"] = "completed" }, new JsonObject { ["step"] = "write", ["status"] = "inProgress" }),
        });
        await _host.Server.NotifyAsync("item/completed", new JsonObject
        {
            ["threadId"] = threadId, ["turnId"] = "turn-1",
            ["item"] = new JsonObject { ["type"] = "reasoning", ["id"] = "rs-1", ["summary"] = new JsonArray("thinking"), ["content"] = new JsonArray() },
        });
        await _host.Server.NotifyAsync("turn/completed", new JsonObject
        {
            ["threadId"] = threadId,
            ["turn"] = new JsonObject { ["id"] = "turn-1", ["items"] = new JsonArray(), ["status"] = "failed", ["error"] = new JsonObject { ["message"] = "boom at /home/secret/.codex/config.toml" } },
        });
        var events = await run.ReadRunAsync();
        run.Dispose();

        AgUiHttp.AssertWellFormed(events);
        var plan = Assert.Single(events, e => e.Type() == "STATE_SNAPSHOT")["snapshot"]!["plan"]!;
        Assert.Equal("two steps", (string)plan["explanation"]!);
        Assert.Equal(["read:completed", "write:inProgress"], plan["steps"]!.AsArray().Select(s => $"{s!["step"]}:{s["status"]}"));
        Assert.Equal(["REASONING_START", "REASONING_MESSAGE_START", "REASONING_MESSAGE_CONTENT", "REASONING_MESSAGE_END", "REASONING_END"], events.Where(e => e.Type().StartsWith("REASONING", StringComparison.Ordinal)).Select(e => e.Type()));
        Assert.Equal("thinking", (string)events.Single(e => e.Type() == "REASONING_MESSAGE_CONTENT")["delta"]!);
        var error = events[^1];
        Assert.Equal(("RUN_ERROR", "turnFailed"), (error.Type(), (string)error["code"]!));
        Assert.DoesNotContain("/home/secret", error.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Usage_is_summed_over_the_runs_model_requests_into_RUN_FINISHED()
    {
        var (threadId, run) = await _host.StartRunAsync("run-1");
        foreach (var tokens in new[] { 10, 5 })
        {
            var counts = new JsonObject { ["inputTokens"] = tokens, ["outputTokens"] = 2, ["totalTokens"] = tokens + 2, ["cachedInputTokens"] = 1, ["reasoningOutputTokens"] = 1 };
            await _host.Server.NotifyAsync("thread/tokenUsage/updated", new JsonObject { ["threadId"] = threadId, ["turnId"] = "turn-1", ["tokenUsage"] = new JsonObject { ["last"] = counts, ["total"] = counts.DeepClone() } });
        }

        await _host.CompleteTurnAsync(threadId);
        var events = await run.ReadRunAsync();
        run.Dispose();

        var usage = Assert.Single(events[^1]["usage"]!.AsArray())!;
        Assert.Equal((15, 4, 19, 2, 2), ((int)usage["inputTokens"]!, (int)usage["outputTokens"]!, (int)usage["totalTokens"]!, (int)usage["reasoningTokens"]!, (int)usage["cachedInputTokens"]!));
    }

    private static JsonArray Resume(string interruptId, JsonObject payload) =>
        [new JsonObject { ["interruptId"] = interruptId, ["status"] = "resolved", ["payload"] = payload }];
}
