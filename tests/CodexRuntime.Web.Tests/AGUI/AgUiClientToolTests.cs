using System.Text.Json;
using System.Text.Json.Nodes;
using CodexRuntime.Events;
using CodexRuntime.Protocol;
using CodexRuntime.Testing;
using CodexRuntime.Web.Tests.Support;

namespace CodexRuntime.Web.Tests.AGUI;

/// <summary>
/// AG-UI frontend tools with the official client (@ag-ui/client 1.0.0's <c>HttpAgent</c>, in node) on the real codex
/// (floor and newest): the run's <c>tools</c> become the codex thread's dynamic tools; codex's call of one ends the run
/// with the call (executed by the client) pending; the test, as the client, executes it once and sends its result as a
/// tool message in the next run, which continues the same codex turn; a reloaded page sees the call and its result.
/// </summary>
public sealed class AgUiClientToolTests
{
    private static readonly Dictionary<string, string> TenantA = new() { ["X-Tenant"] = "tenant-a" };

    [Theory]
    [MemberData(nameof(WebTheories.Versions), MemberType = typeof(WebTheories))]
    public async Task A_client_tool_call_is_pending_and_the_next_run_answers_it_in_the_same_codex_turn(string version)
    {
        await using var host = await StartAsync(version);
        using var audit = host.Client.Runtime.Subscribe(new CodexSubscriptionOptions { Capacity = 100_000 });
        var seen = new List<CodexEnvelope>();
        var input = AgUiNodeClient.Input("thread-1", "run-1", "What is the status of T-42?");
        input["tools"] = new JsonArray(LookupTicket());

        var first = await AgUiNodeClient.RunAsync(Url(host), input, TenantA);

        first.AssertValid();
        var start = Assert.Single(first.OfType("TOOL_CALL_START"));
        Assert.Equal("call-1", start.GetProperty("toolCallId").GetString());
        Assert.Equal("lookup_ticket", start.GetProperty("toolCallName").GetString());
        Assert.Equal("client", start.GetProperty("metadata").GetProperty("codex").GetProperty("executedBy").GetString());
        var args = JsonNode.Parse(Assert.Single(first.OfType("TOOL_CALL_ARGS")).GetProperty("delta").GetString()!)!;
        Assert.Single(first.OfType("TOOL_CALL_END"));
        Assert.Empty(first.OfType("TOOL_CALL_RESULT"));
        var outcome = first.RunFinished!.Value.GetProperty("outcome");
        Assert.Equal("success", outcome.GetProperty("type").GetString());
        Assert.Equal(["call-1"], outcome.GetProperty("pendingToolCallIds").EnumerateArray().Select(i => i.GetString()));
        Assert.Contains("lookup_ticket", host.Model.ModelRequests[0].Body, StringComparison.Ordinal);

        // The test is the client: it executes its tool once, with the call's arguments, and sends the whole history
        // back (as the client does) with the tool message added.
        var executed = new List<string>();
        var result = Lookup((string)args["id"]!, executed);
        var history = JsonNode.Parse(first.Messages.GetRawText())!.AsArray();
        history.Add(new JsonObject { ["id"] = "tool-1", ["role"] = "tool", ["toolCallId"] = "call-1", ["content"] = result });
        var next = AgUiNodeClient.Input("thread-1", "run-2", null);
        next["messages"] = history;
        next["tools"] = new JsonArray(LookupTicket());

        var second = await AgUiNodeClient.RunAsync(Url(host), next, TenantA);

        second.AssertValid();
        Assert.Equal("Ticket T-42 is open.", second.Text);
        Assert.Empty(second.OfType("TOOL_CALL_START")); // announced once, in the run it waited in
        Assert.False(second.RunFinished!.Value.GetProperty("outcome").TryGetProperty("pendingToolCallIds", out _));
        Assert.Equal(["T-42"], executed);
        Assert.Contains(result, FunctionCallOutput(host.Model.ModelRequests[1], "call-1"), StringComparison.Ordinal); // 0.104.0 sends the items as JSON
        Assert.Equal(1, audit.Sent(seen, "turn/start")); // the answer continued the turn; it started none

        // A reloaded page: the call (executed by the client) and its result, as the schemas take them.
        var reload = await AgUiNodeClient.RunAsync(Url(host), AgUiNodeClient.Input("thread-1", "run-3", null), TenantA);

        reload.AssertValid();
        var messages = Assert.Single(reload.OfType("MESSAGES_SNAPSHOT")).GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal("Ticket T-42 is open.", messages[^1].GetProperty("content").GetString());
        var calls = messages.Where(m => m.TryGetProperty("toolCalls", out _)).SelectMany(m => m.GetProperty("toolCalls").EnumerateArray()).ToList();
        if (version == CodexProtocolVersions.Floor.ToString())
        {
            // codex 0.104.0 keeps no dynamic tool calls in a thread's history: its snapshot has the text around the call.
            Assert.Empty(calls);
            Assert.Equal(["user", "assistant"], messages.Select(m => m.GetProperty("role").GetString()));
            return;
        }

        var call = Assert.Single(calls);
        Assert.Equal(("call-1", "lookup_ticket"), (call.GetProperty("id").GetString(), call.GetProperty("function").GetProperty("name").GetString()));
        Assert.Equal("client", call.GetProperty("metadata").GetProperty("codex").GetProperty("executedBy").GetString());
        var toolMessage = Assert.Single(messages, m => m.GetProperty("role").GetString() == "tool");
        Assert.Equal("call-1", toolMessage.GetProperty("toolCallId").GetString());
        Assert.Equal(result, toolMessage.GetProperty("content").GetString());
        Assert.False(toolMessage.TryGetProperty("error", out _));
    }

    internal static Task<WebHost> StartAsync(string version, bool experimentalApi = true) =>
        AgUiFlowTests.StartAsync(version,
        [
            FakeModelResponse.FunctionCall("lookup_ticket", new JsonObject { ["id"] = "T-42" }, "call-1"),
            FakeModelResponse.Text("Ticket T-42 is open."),
        ], experimentalApi: experimentalApi);

    /// <summary>The client's tool as AG-UI declares it.</summary>
    internal static JsonObject LookupTicket() => new()
    {
        ["name"] = "lookup_ticket",
        ["description"] = "Looks up a support ticket's status by its id.",
        ["parameters"] = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject { ["id"] = new JsonObject { ["type"] = "string" } },
            ["required"] = new JsonArray("id"),
        },
    };

    /// <summary>The <c>output</c> codex sent the model for the call (its <c>function_call_output</c> input item).</summary>
    internal static string FunctionCallOutput(FakeModelRequest request, string callId)
    {
        var item = request.Json!["input"]!.AsArray().OfType<JsonObject>()
            .Single(i => (string?)i["type"] == "function_call_output" && (string?)i["call_id"] == callId);
        return item["output"] is JsonValue text && text.TryGetValue<string>(out var output) ? output : item["output"]!.ToJsonString();
    }

    private static string Lookup(string id, List<string> executed)
    {
        executed.Add(id);
        return $"status of {id}: open";
    }

    private static Uri Url(WebHost host) => new(host.BaseAddress, "/agui");
}
