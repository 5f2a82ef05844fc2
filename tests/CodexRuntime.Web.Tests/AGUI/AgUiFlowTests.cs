using System.Text.Json.Nodes;
using CodexRuntime.Events;
using CodexRuntime.Testing;
using CodexRuntime.Web.Tests.Support;

namespace CodexRuntime.Web.Tests.AGUI;

/// <summary>
/// <c>MapCodexAGUI</c> over real HTTP and the real codex binary (floor and newest), read as plain SSE: a text turn,
/// a command, and an approval as an interrupt that the next run answers, continuing the same codex turn.
/// </summary>
public sealed class AgUiFlowTests
{
    [Theory]
    [MemberData(nameof(WebTheories.Versions), MemberType = typeof(WebTheories))]
    public async Task A_run_streams_the_agents_text_between_RUN_STARTED_and_RUN_FINISHED(string version)
    {
        await using var host = await StartAsync(version, [FakeModelResponse.StreamedText(["Hello", " from", " AG-UI."])]);
        using var http = host.For("tenant-a");

        var events = await http.RunAsync(AgUiHttp.Input("thread-1", "run-1", [AgUiHttp.User("m1", "Say hello.")]));

        AgUiHttp.AssertWellFormed(events);
        Assert.Equal(("thread-1", "run-1"), ((string)events[0]["threadId"]!, (string)events[0]["runId"]!));
        Assert.Equal("Hello from AG-UI.", string.Concat(events.Where(e => e.Type() == "TEXT_MESSAGE_CONTENT").Select(e => (string)e["delta"]!)));
        Assert.Equal("success", (string)events[^1]["outcome"]!["type"]!);
        Assert.Equal("assistant", (string)events.First(e => e.Type() == "TEXT_MESSAGE_START")["role"]!);
    }

    [Theory]
    [MemberData(nameof(WebTheories.Versions), MemberType = typeof(WebTheories))]
    public async Task A_second_run_sends_only_the_new_user_message_and_a_client_without_messages_gets_the_thread_as_a_snapshot(string version)
    {
        await using var host = await StartAsync(version, [FakeModelResponse.Text("first answer"), FakeModelResponse.Text("second answer")]);
        using var http = host.For("tenant-a");
        var first = await http.RunAsync(AgUiHttp.Input("thread-1", "run-1", [AgUiHttp.User("m1", "one")]));
        var reply = (string)first.First(e => e.Type() == "TEXT_MESSAGE_START")["messageId"]!;

        var second = await http.RunAsync(AgUiHttp.Input("thread-1", "run-2", [AgUiHttp.User("m1", "one"), AgUiHttp.Assistant(reply, "first answer"), AgUiHttp.User("m2", "two")]));
        AgUiHttp.AssertWellFormed(second);
        Assert.Equal("second answer", string.Concat(second.Where(e => e.Type() == "TEXT_MESSAGE_CONTENT").Select(e => (string)e["delta"]!)));
        Assert.Equal("two", host.Model.ModelRequests[^1].LastUserText); // codex holds "one" and the answer

        // A reloaded page: no messages, the thread's messages from codex's history.
        var reload = await http.RunAsync(AgUiHttp.Input("thread-1", "run-3", []));
        AgUiHttp.AssertWellFormed(reload);
        var snapshot = Assert.Single(reload, e => e.Type() == "MESSAGES_SNAPSHOT")["messages"]!.AsArray();
        Assert.Equal(["user", "assistant", "user", "assistant"], snapshot.Select(m => (string)m!["role"]!));
        Assert.Equal(["one", "first answer", "two", "second answer"], snapshot.Select(m => (string)m!["content"]!));
        Assert.Equal(2, host.Model.ModelRequests.Count); // nothing new was asked
    }

    [Theory]
    [MemberData(nameof(WebTheories.ApprovalCases), MemberType = typeof(WebTheories))]
    public async Task An_approval_ends_the_run_with_an_interrupt_and_the_resuming_run_continues_the_same_turn(string version, string answer)
    {
        await using var host = await StartAsync(version,
        [
            FakeModelResponse.ExecCommand("touch approved.txt && echo approved-run", requestEscalation: true, callId: "call-agui"),
            FakeModelResponse.Text("done"),
        ]);
        using var audit = host.Client.Runtime.Subscribe(new CodexSubscriptionOptions { Capacity = 100_000 });
        var seen = new List<CodexEnvelope>();
        using var http = host.For("tenant-a");
        var messages = new JsonArray(AgUiHttp.User("m1", "create approved.txt"));

        var first = await http.RunAsync(AgUiHttp.Input("thread-1", "run-1", messages));

        AgUiHttp.AssertWellFormed(first);
        var outcome = first[^1]["outcome"]!;
        Assert.Equal("interrupt", (string)outcome["type"]!);
        var interrupt = Assert.Single(outcome["interrupts"]!.AsArray())!;
        Assert.Equal("codex.command", (string)interrupt["reason"]!);
        Assert.Contains("touch approved.txt", (string)interrupt["metadata"]!["codex"]!["command"]!, StringComparison.Ordinal);
        Assert.Contains("accept", interrupt["responseSchema"]!["properties"]!["decision"]!["enum"]!.AsArray().Select(d => (string)d!));
        Assert.False(File.Exists(Path.Combine(host.Workspace.FullName, "approved.txt")));

        var resume = new JsonArray(new JsonObject { ["interruptId"] = (string)interrupt["id"]!, ["status"] = "resolved", ["payload"] = new JsonObject { ["decision"] = answer } });
        var second = await http.RunAsync(AgUiHttp.Input("thread-1", "run-2", messages.DeepClone().AsArray(), resume));

        AgUiHttp.AssertWellFormed(second);
        Assert.Equal("success", (string)second[^1]["outcome"]!["type"]!);
        Assert.Equal("done", string.Concat(second.Where(e => e.Type() == "TEXT_MESSAGE_CONTENT").Select(e => (string)e["delta"]!)));
        var result = second.First(e => e.Type() == "TOOL_CALL_RESULT");
        Assert.Contains(first.Concat(second), e => e.Type() == "TOOL_CALL_START" && (string)e["toolCallId"]! == (string)result["toolCallId"]! && (string)e["metadata"]!["codex"]!["executedBy"]! == "agent");
        Assert.Equal(answer == "accept", File.Exists(Path.Combine(host.Workspace.FullName, "approved.txt")));
        Assert.Equal(1, audit.Sent(seen, "turn/start"));
        Assert.Equal(1, audit.Sent(seen, "thread/start"));
    }

    [Theory]
    [MemberData(nameof(WebTheories.Versions), MemberType = typeof(WebTheories))]
    public async Task A_closed_stream_leaves_the_turn_running_and_the_same_run_id_re_attaches_to_it(string version)
    {
        await using var host = await StartAsync(version, [FakeModelResponse.StreamedText(["still", " here"])]);
        using var http = host.For("tenant-a");
        var input = AgUiHttp.Input("thread-1", "run-1", [AgUiHttp.User("m1", "hello")]);

        // The client goes away as soon as the run started: the turn is not interrupted.
        (await http.OpenRunAsync(input)).Dispose();
        var again = await http.RunAsync(input);

        AgUiHttp.AssertWellFormed(again);
        Assert.Equal("still here", string.Concat(again.Where(e => e.Type() == "TEXT_MESSAGE_CONTENT").Select(e => (string)e["delta"]!)));
        Assert.Equal("success", (string)again[^1]["outcome"]!["type"]!);
        Assert.Single(host.Model.ModelRequests); // re-attached: nothing was asked twice
    }

    [Theory]
    [MemberData(nameof(WebTheories.Versions), MemberType = typeof(WebTheories))]
    public async Task At_the_session_limit_the_idlest_thread_is_let_go_and_its_next_run_resumes_it_with_a_snapshot(string version)
    {
        await using var host = await StartAsync(version, [FakeModelResponse.Text("answer a"), FakeModelResponse.Text("answer b"), FakeModelResponse.Text("answer a2")], options => options.Adapter.MaxSessionsPerTenant = 1);
        using var audit = host.Client.Runtime.Subscribe(new CodexSubscriptionOptions { Capacity = 100_000 });
        var seen = new List<CodexEnvelope>();
        using var http = host.For("tenant-a");
        var a = await http.RunAsync(AgUiHttp.Input("thread-a", "run-1", [AgUiHttp.User("a1", "question a")]));
        var reply = (string)a.First(e => e.Type() == "TEXT_MESSAGE_START")["messageId"]!;

        var b = await http.RunAsync(AgUiHttp.Input("thread-b", "run-2", [AgUiHttp.User("b1", "question b")]));
        Assert.Equal("success", (string)b[^1]["outcome"]!["type"]!);
        Assert.Equal(1, host.Adapter.OpenSessions);

        var again = await http.RunAsync(AgUiHttp.Input("thread-a", "run-3", [AgUiHttp.User("a1", "question a"), AgUiHttp.Assistant(reply, "answer a"), AgUiHttp.User("a2", "again")]));

        AgUiHttp.AssertWellFormed(again);
        var snapshot = Assert.Single(again, e => e.Type() == "MESSAGES_SNAPSHOT")["messages"]!.AsArray();
        Assert.Equal(["question a", "answer a"], snapshot.Select(m => (string)m!["content"]!));
        Assert.Equal("answer a2", string.Concat(again.Where(e => e.Type() == "TEXT_MESSAGE_CONTENT").Select(e => (string)e["delta"]!)));
        Assert.Equal("again", host.Model.ModelRequests[^1].LastUserText);
        Assert.Equal(1, audit.Sent(seen, "thread/resume"));
        Assert.Equal(1, host.Adapter.OpenSessions);
    }

    internal static Task<WebHost> StartAsync(string version, FakeModelResponse[] script, Action<CodexWebOptions>? configure = null, bool experimentalApi = false) =>
        WebHost.StartAsync(version, script, configure, map: (app, _) => app.MapCodexAGUI("/agui"), experimentalApi: experimentalApi);
}
