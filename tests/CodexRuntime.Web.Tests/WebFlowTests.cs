using System.Net;
using System.Text.Json.Nodes;
using CodexRuntime.Protocol;
using CodexRuntime.Testing;
using CodexRuntime.Web.Tests.Support;

namespace CodexRuntime.Web.Tests;

/// <summary>The web adapter over real HTTP and the real codex binary (floor and newest): a turn's events over SSE, approvals from the approvals stream.</summary>
public sealed class WebFlowTests
{
    [Theory]
    [MemberData(nameof(WebTheories.Versions), MemberType = typeof(WebTheories))]
    public async Task A_turn_streams_its_events_in_order_over_SSE_to_its_completion(string version)
    {
        await using var host = await WebHost.StartAsync(version, [FakeModelResponse.StreamedText(["Hello", " from", " the", " web."])]);
        using var http = host.For("tenant-a");
        var (sessionId, threadId) = await http.CreateSessionAsync();

        using var started = await http.PostJsonAsync($"/codex/sessions/{sessionId}/turns", new JsonObject { ["text"] = "Say hello." });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var turnId = (string)JsonNode.Parse(await started.Content.ReadAsStringAsync())!["turnId"]!;
        var events = await http.ReadEventsAsync($"/codex/sessions/{sessionId}/events", e => e.EventType == "turnCompleted");

        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), events.Select(e => e.EventId));
        Assert.Equal("turnStarted", events[0].EventType);
        Assert.Equal("turnCompleted", events[^1].EventType);
        Assert.Equal("Hello from the web.", string.Concat(events.Where(e => e.EventType == "delta").Select(e => (string)e.Data()["text"]!)));
        var completed = events[^1].Data();
        Assert.Equal(("completed", "Hello from the web.", turnId), ((string)completed["status"]!, (string)completed["text"]!, (string)completed["turnId"]!));
        var state = JsonNode.Parse(await http.GetStringAsync($"/codex/sessions/{sessionId}"))!;
        Assert.Equal(threadId, (string)state["threadId"]!);
        Assert.Equal("Hello from the web.", (string)state["turns"]![0]!["text"]!);
    }

    [Theory]
    [MemberData(nameof(WebTheories.ApprovalCases), MemberType = typeof(WebTheories))]
    public async Task An_approval_answered_from_the_approvals_stream_decides_the_command(string version, string answer)
    {
        await using var host = await WebHost.StartAsync(version,
        [
            FakeModelResponse.ExecCommand("touch approved.txt && echo approved-run", requestEscalation: true, callId: "call-web"),
            FakeModelResponse.Text("done"),
        ]);
        using var http = host.For("tenant-a");
        var (sessionId, _) = await http.CreateSessionAsync();
        using var started = await http.PostJsonAsync($"/codex/sessions/{sessionId}/turns", new JsonObject { ["text"] = "create approved.txt" });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);

        var approvals = await http.ReadEventsAsync($"/codex/sessions/{sessionId}/approvals", e => e.EventType == "approval");
        var approval = approvals[^1].Data();
        Assert.Equal("command", (string)approval["kind"]!);
        Assert.Contains("touch approved.txt", (string)approval["command"]!, StringComparison.Ordinal);
        Assert.True(Guid.TryParse((string)approval["approvalId"]!, out _));
        using var answered = await http.PostJsonAsync($"/codex/sessions/{sessionId}/approvals/{approval["approvalId"]}", new JsonObject { ["decision"] = answer });
        Assert.Equal(HttpStatusCode.NoContent, answered.StatusCode);
        using var again = await http.PostJsonAsync($"/codex/sessions/{sessionId}/approvals/{approval["approvalId"]}", new JsonObject { ["decision"] = answer });
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode); // single use

        var events = await http.ReadEventsAsync($"/codex/sessions/{sessionId}/events", e => e.EventType == "turnCompleted");
        Assert.Contains(events, e => e.EventType == "approvalResolved" && (string)e.Data()["outcome"]! == answer);
        Assert.Equal(answer == "accept", File.Exists(Path.Combine(host.Workspace.FullName, "approved.txt")));
    }

    [Fact]
    public async Task A_stream_of_a_quiet_session_sends_its_headers_at_once_so_the_client_knows_it_is_connected()
    {
        // No heartbeat within the deadline: only the headers themselves can open the stream.
        await using var host = await WebHost.StartAsync(CodexProtocolVersions.Pinned.ToString(), [], options => options.Adapter.HeartbeatInterval = TimeSpan.FromMinutes(10));
        using var http = host.For("tenant-a");
        var (sessionId, _) = await http.CreateSessionAsync();

        foreach (var stream in new[] { "events", "approvals" })
        {
            using var opened = new CancellationTokenSource(WebHost.Deadline);
            using var response = await http.GetAsync($"/codex/sessions/{sessionId}/{stream}", HttpCompletionOption.ResponseHeadersRead, opened.Token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Host_shutdown_ends_every_open_stream_and_keeps_the_thread()
    {
        await using var host = await WebHost.StartAsync(CodexProtocolVersions.Pinned.ToString(), [FakeModelResponse.Text("kept")]);
        using var http = host.For("tenant-a");
        var (sessionId, threadId) = await http.CreateSessionAsync();
        using var started = await http.PostJsonAsync($"/codex/sessions/{sessionId}/turns", new JsonObject { ["text"] = "hello" });
        await http.ReadEventsAsync($"/codex/sessions/{sessionId}/events", e => e.EventType == "turnCompleted");

        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var open = http.ReadEventsAsync($"/codex/sessions/{sessionId}/events", _ =>
        {
            connected.TrySetResult();
            return false; // read until the server ends the stream
        });
        await connected.Task.WaitAsync(WebHost.Deadline);

        await host.StopAsync().WaitAsync(TimeSpan.FromSeconds(30)); // far below the 5-minute shutdown timeout
        var read = await open.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["turnCompleted", "end"], read.TakeLast(2).Select(e => e.EventType));
        Assert.Equal("serverStopping", (string)read[^1].Data()["reason"]!);
        Assert.DoesNotContain(read, e => e.EventType == "sessionClosed"); // let go, not archived
        Assert.False(string.IsNullOrEmpty(threadId));
    }
}
