using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using CodexRuntime.Tests.Shared;
using CodexRuntime.Web.Tests.Support;

namespace CodexRuntime.Web.Tests.AGUI;

/// <summary>
/// The AG-UI harness itself (the official @ag-ui/client run by <see cref="AgUiNodeClient"/>) against canned SSE
/// sequences: it sees every event of a valid run and reports no violation, and it reports each broken rule, so the
/// real-server tests built on it can fail. These test the harness only, never the server.
/// </summary>
public sealed class AgUiHarnessTests : IAsyncLifetime
{
    private const string Started = """{"type":"RUN_STARTED","threadId":"thread-1","runId":"run-1"}""";
    private const string Finished = """{"type":"RUN_FINISHED","threadId":"thread-1","runId":"run-1"}""";

    private static readonly Dictionary<string, string[]> Sequences = new()
    {
        ["valid"] =
        [
            Started,
            """{"type":"TEXT_MESSAGE_START","messageId":"m-1","role":"assistant"}""",
            """{"type":"TEXT_MESSAGE_CONTENT","messageId":"m-1","delta":"Hel"}""",
            """{"type":"TEXT_MESSAGE_CONTENT","messageId":"m-1","delta":"lo"}""",
            """{"type":"TEXT_MESSAGE_END","messageId":"m-1"}""",
            """{"type":"TOOL_CALL_START","toolCallId":"call-1","toolCallName":"command_execution","parentMessageId":"m-1"}""",
            """{"type":"TOOL_CALL_ARGS","toolCallId":"call-1","delta":"{\"command\":\"touch a.txt\"}"}""",
            """{"type":"TOOL_CALL_END","toolCallId":"call-1"}""",
            """{"type":"TOOL_CALL_RESULT","messageId":"m-2","toolCallId":"call-1","content":"exit 0","role":"tool"}""",
            """{"type":"RUN_FINISHED","threadId":"thread-1","runId":"run-1","outcome":{"type":"interrupt","interrupts":[{"id":"approval-1","reason":"approval","message":"Run touch b.txt?","toolCallId":"call-2","metadata":{"command":"touch b.txt","cwd":"/work"}}]}}""",
        ],
        ["content-outside-message"] =
        [
            Started,
            """{"type":"TEXT_MESSAGE_CONTENT","messageId":"m-1","delta":"stray"}""",
            Finished,
        ],
        ["unclosed-tool-call"] =
        [
            Started,
            """{"type":"TOOL_CALL_START","toolCallId":"call-1","toolCallName":"command_execution"}""",
            """{"type":"TOOL_CALL_ARGS","toolCallId":"call-1","delta":"{}"}""",
            Finished,
        ],
        ["two-run-finished"] = [Started, Finished, Finished],
        ["schema-failure"] =
        [
            Started,
            """{"type":"TEXT_MESSAGE_START","messageId":42,"role":"assistant"}""",
            Finished,
        ],
        ["no-run-started"] =
        [
            """{"type":"TEXT_MESSAGE_START","messageId":"m-1","role":"assistant"}""",
            """{"type":"TEXT_MESSAGE_END","messageId":"m-1"}""",
            Finished,
        ],
        // The client itself accepts a stream that just stops: only the harness's own check reports it.
        ["truncated"] = [Started, """{"type":"TEXT_MESSAGE_START","messageId":"m-1","role":"assistant"}"""],
        ["unclosed-reasoning"] =
        [
            Started,
            """{"type":"REASONING_START","messageId":"r-1"}""",
            """{"type":"REASONING_MESSAGE_START","messageId":"r-1","role":"reasoning"}""",
            """{"type":"REASONING_MESSAGE_CONTENT","messageId":"r-1","delta":"thinking"}""",
            """{"type":"REASONING_MESSAGE_END","messageId":"r-1"}""",
            Finished,
        ],
    };

    private CannedAgUiServer _server = null!;

    public async Task InitializeAsync() => _server = await CannedAgUiServer.StartAsync(Sequences);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_valid_run_reaches_the_official_client_whole_and_breaks_no_rule()
    {
        var input = AgUiNodeClient.Input("thread-1", "run-1", "Say hello",
            AgUiNodeClient.Resume("approval-0", new JsonObject { ["decision"] = "approve" }));

        var run = await AgUiNodeClient.RunAsync(_server.For("valid"), input, new Dictionary<string, string> { ["X-Tenant"] = "tenant-a" });

        run.AssertValid();
        Assert.Equal(Sequences["valid"].Select(e => JsonDocument.Parse(e).RootElement.GetProperty("type").GetString()), run.Types);
        Assert.Equal("Hello", run.Text);
        Assert.Equal("touch a.txt", JsonDocument.Parse(Assert.Single(run.OfType("TOOL_CALL_ARGS")).GetProperty("delta").GetString()!).RootElement.GetProperty("command").GetString());
        var interrupt = Assert.Single(run.Interrupts);
        Assert.Equal("approval-1", interrupt.GetProperty("id").GetString());
        Assert.Equal("touch b.txt", interrupt.GetProperty("metadata").GetProperty("command").GetString());

        // What the client put on the wire: our header, the input's ids, the user message and the resume entry.
        var request = Assert.Single(_server.Requests);
        Assert.Equal("tenant-a", request.Headers["X-Tenant"]);
        Assert.Contains("text/event-stream", request.Headers["Accept"], StringComparison.Ordinal);
        var body = JsonDocument.Parse(request.Body).RootElement;
        Assert.Equal("thread-1", body.GetProperty("threadId").GetString());
        Assert.Equal("run-1", body.GetProperty("runId").GetString());
        Assert.Equal("Say hello", Assert.Single(body.GetProperty("messages").EnumerateArray()).GetProperty("content").GetString());
        var resume = Assert.Single(body.GetProperty("resume").EnumerateArray());
        Assert.Equal("approval-0", resume.GetProperty("interruptId").GetString());
        Assert.Equal("resolved", resume.GetProperty("status").GetString());
        Assert.Equal("approve", resume.GetProperty("payload").GetProperty("decision").GetString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(request.Body), JsonNode.Parse(run.Input.GetRawText())), $"{request.Body}\n{run.Input}");
    }

    [Theory]
    [InlineData("content-outside-message", "event 1 (TEXT_MESSAGE_CONTENT): outside TEXT_MESSAGE_START/END of 'm-1'")]
    [InlineData("unclosed-tool-call", "TOOL_CALL_START 'call-1' was not closed")]
    [InlineData("two-run-finished", "event 2 (RUN_FINISHED): a second RUN_FINISHED/RUN_ERROR")]
    [InlineData("schema-failure", "event 1 (TEXT_MESSAGE_START) fails @ag-ui/core's schema: messageId:")]
    [InlineData("no-run-started", "event 0 (TEXT_MESSAGE_START): the first event must be RUN_STARTED")]
    [InlineData("unclosed-reasoning", "REASONING_START 'r-1' was not closed")]
    [InlineData("truncated", "no RUN_FINISHED or RUN_ERROR reached the client")]
    [InlineData("truncated", "TEXT_MESSAGE_START 'm-1' was not closed")]
    public async Task A_broken_run_is_reported_with_the_rule_it_breaks(string sequence, string violation)
    {
        var run = await AgUiNodeClient.RunAsync(_server.For(sequence), AgUiNodeClient.Input("thread-1", "run-1", "Hi"));

        Assert.True(run.Violations.Any(v => v.Contains(violation, StringComparison.Ordinal)), $"expected a violation containing \"{violation}\".\n{run.Describe()}");
    }

    [Fact]
    public async Task A_run_id_the_server_did_not_echo_is_a_violation()
    {
        var run = await AgUiNodeClient.RunAsync(_server.For("valid"), AgUiNodeClient.Input("thread-1", "run-other", "Hi"));

        Assert.Contains("event 0 (RUN_STARTED): runId 'run-1' is not the input's 'run-other'", run.Violations);
    }

    [Fact]
    public async Task A_refusal_is_the_runs_error_naming_the_status()
    {
        var run = await AgUiNodeClient.RunAsync(_server.For("no-such-sequence"), AgUiNodeClient.Input("thread-1", "run-1", "Hi"));

        Assert.Empty(run.Events);
        Assert.NotNull(run.Error);
        Assert.Contains("404", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_that_never_ends_is_aborted_at_its_deadline_with_what_arrived()
    {
        var run = await AgUiNodeClient.RunAsync(_server.For(CannedAgUiServer.Endless), AgUiNodeClient.Input("t", "r", "Hi"), deadline: TimeSpan.FromSeconds(2));

        // On abort the client ends the run itself with a RUN_ERROR of code "abort", which the harness records too.
        Assert.Equal(["RUN_STARTED", "RUN_ERROR"], run.Types);
        Assert.Equal("abort", run.RunError!.Value.GetProperty("code").GetString());
        Assert.Equal("no end of the run within 2000 ms", run.Error);
    }

    [Fact]
    public async Task The_vendored_browser_bundle_loads_and_its_HttpAgent_runs_a_valid_run()
    {
        var bundle = Path.Combine(RepositoryLayout.Root, "samples", "WebChat", "wwwroot", "vendor", "ag-ui-client.js");
        var start = new ProcessStartInfo("node");
        start.ArgumentList.Add("--input-type=module");
        start.ArgumentList.Add("-e");
        start.ArgumentList.Add($$"""
            const { HttpAgent, EventType } = await import({{JsonValue.Create(new Uri(bundle).AbsoluteUri).ToJsonString()}});
            const agent = new HttpAgent({ url: {{JsonValue.Create(_server.For("valid").ToString()).ToJsonString()}}, threadId: "thread-1" });
            const types = [];
            await agent.runAgent({ runId: "run-1" }, { onEvent: ({ event }) => { types.push(event.type); } });
            process.stdout.write(JSON.stringify({ types, pending: agent.pendingInterrupts.map(i => i.id), runFinished: EventType.RUN_FINISHED }));
            """);

        var outcome = await DeadlineProcess.RunAsync(start, stdin: null, AgUiNodeClient.DefaultDeadline);

        Assert.True(outcome.ExitCode == 0, $"node exited with {outcome.ExitCode}: {outcome.Stderr}");
        var result = JsonDocument.Parse(outcome.Stdout).RootElement;
        Assert.Equal(Sequences["valid"].Length, result.GetProperty("types").GetArrayLength());
        Assert.Equal("approval-1", Assert.Single(result.GetProperty("pending").EnumerateArray()).GetString());
        Assert.Equal("RUN_FINISHED", result.GetProperty("runFinished").GetString());
    }
}
