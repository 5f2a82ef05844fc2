using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text.Json.Nodes;
using CodexRuntime.Tests.Shared;
using CodexRuntime.Transport;
using CodexRuntime.Web.Tests.Support;
using WebChat;

namespace CodexRuntime.Web.Tests;

/// <summary>
/// <c>WebChat --replicas 3</c> as a person runs it: a real Redis, three real WebChat replicas (each its own codex and
/// silo) and the round-robin proxy, all child processes of the sample. Through the proxy only, a session is created,
/// takes a turn with an approval, and streams; the replica that holds it is killed, and the session goes on elsewhere;
/// then the parent is stopped and takes every process it started with it.
/// </summary>
public sealed class WebChatReplicasTests
{
    private static readonly TimeSpan Deadline = WebHost.Deadline;

    [Fact]
    public async Task Three_replicas_behind_the_proxy_serve_a_session_that_outlives_the_kill_of_its_replica_and_stop_together()
    {
        await using var cluster = await WebChatCluster.StartAsync(CodexVersions.Newest);
        Assert.Contains("cluster:   Redis at 127.0.0.1:", cluster.Output, StringComparison.Ordinal);
        Assert.Equal([1, 2, 3], cluster.Replicas.Select(r => r.Index));
        using var http = new HttpClient { BaseAddress = cluster.Url, Timeout = Deadline };
        // The page's own Origin, as the browser sends it on every POST: the proxy's, which every replica accepts.
        http.DefaultRequestHeaders.Add("Origin", cluster.Url.GetLeftPart(UriPartial.Authority));

        // The proxy keeps the sample's local-only door: another site's Host (DNS rebinding) or Origin gets nothing.
        using (var foreignHost = await SendCreateAsync(http, host: "evil.example", origin: null))
        {
            Assert.Equal(HttpStatusCode.BadRequest, foreignHost.StatusCode);
        }

        using (var foreignOrigin = await SendCreateAsync(http, host: null, origin: "http://evil.example"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, foreignOrigin.StatusCode);
        }

        var (sessionId, _) = await http.CreateSessionAsync("webchat");
        using var started = await http.PostJsonAsync($"/codex/sessions/{sessionId}/turns", new JsonObject { ["text"] = "hi" });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);

        // The stream through the proxy delivers the approval while the turn waits for it: nothing is held back until
        // the response ends (the turn cannot end before the approval is answered, below).
        using var stream = await OpenEventsAsync(http, sessionId, lastEventId: null);
        await using var events = stream.Events.GetAsyncEnumerator();
        var first = await ReadUntilAsync(events, e => e.EventType == "approval");
        var approval = first[^1].Data();
        var holder = cluster.Replicas.Single(r => r.Workspace == (string)approval["cwd"]!);
        using var answered = await http.PostJsonAsync($"/codex/sessions/{sessionId}/approvals/{approval["approvalId"]}", new JsonObject { ["decision"] = "accept" });
        Assert.Equal(HttpStatusCode.NoContent, answered.StatusCode);
        first.AddRange(await ReadUntilAsync(events, e => e.EventType == "turnCompleted"));
        AssertContinuous(first, from: 1);
        Assert.Equal(ChatScript.FirstAnswer, Text(first));
        Assert.True(File.Exists(Path.Combine(holder.Workspace, ChatBackend.ApprovedFile)), "the approved command ran in the holder's workspace");

        // Round robin: the session's calls reached every replica, not only the one that holds it.
        var served = cluster.RequestsServed(sessionId);
        Assert.True(served.Values.All(count => count > 0), $"requests for the session per replica: {string.Join(", ", served)}\n{cluster.Output}");

        // Kill (SIGKILL, its whole tree) the replica that holds the session: the parent takes it out of the proxy, and
        // once both replicas left say the cluster declared its silo dead, the session resumes on one of them from its
        // record in Redis (its codex thread's rollout, its turns, its event ids).
        var tree = ProcessTree.GetDescendants(cluster.Pid);
        using (var process = System.Diagnostics.Process.GetProcessById(holder.Pid))
        {
            process.Kill(entireProcessTree: true);
        }

        await cluster.ReplicaExited(holder.Index).WaitAsync(Deadline);
        await cluster.DeathsSeen(2).WaitAsync(Deadline);

        // The session goes on through the proxy, over the replicas that are left: its state, a second turn (its
        // model, on another replica, gets the conversation so far and echoes), its stream from Last-Event-ID.
        for (var i = 0; i < 4; i++)
        {
            var state = JsonNode.Parse(await http.GetStringAsync($"/codex/sessions/{sessionId}"))!;
            Assert.Equal(sessionId, (string)state["sessionId"]!);
        }

        using var second = await http.PostJsonAsync($"/codex/sessions/{sessionId}/turns", new JsonObject { ["text"] = "still there?" });
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var more = await http.ReadEventsAsync($"/codex/sessions/{sessionId}/events", e => e.EventType == "turnCompleted", lastEventId: first[^1].EventId);
        AssertContinuous(more, from: first.Count + 1);
        Assert.Equal("You said: still there?", Text(more));

        // SIGTERM to the parent stops and reaps everything it started: Redis, the replicas and their codex processes.
        var left = tree.Where(ProcessTree.IsRunning).ToDictionary(pid => pid, NameOf);
        Assert.Contains(left.Values, name => name.StartsWith("redis-server", StringComparison.Ordinal)); // it sets its title: "redis-server 127.0.0.1:port"
        Assert.Equal(2, left.Values.Count(name => name == "codex"));
        Assert.Equal(0, await cluster.TerminateAsync(TimeSpan.FromSeconds(60)));
        var running = left.Where(p => ProcessTree.IsRunning(p.Key)).ToList();
        Assert.True(running.Count == 0, $"still running after the parent stopped: {string.Join(", ", running)}\n{cluster.Output}");
        Assert.Contains("Stopped: no replica and no redis-server left running.", cluster.Output, StringComparison.Ordinal);
    }

    private static string NameOf(int pid)
    {
        using var process = System.Diagnostics.Process.GetProcessById(pid);
        return process.ProcessName;
    }

    private static async Task<HttpResponseMessage> SendCreateAsync(HttpClient http, string? host, string? origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/codex/sessions") { Content = CodexHttp.Json(new JsonObject { ["artifactId"] = "webchat" }) };
        request.Headers.Host = host;
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return await http.SendAsync(request);
    }

    private static async Task<EventStream> OpenEventsAsync(HttpClient http, string sessionId, string? lastEventId)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/codex/sessions/{sessionId}/events");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}");
        Assert.Equal(new MediaTypeHeaderValue("text/event-stream"), response.Content.Headers.ContentType);
        return new EventStream(response, await response.Content.ReadAsStreamAsync());
    }

    private static async Task<List<SseItem<string>>> ReadUntilAsync(IAsyncEnumerator<SseItem<string>> events, Func<SseItem<string>, bool> until)
    {
        var read = new List<SseItem<string>>();
        using var deadline = new CancellationTokenSource(Deadline);
        while (await events.MoveNextAsync().AsTask().WaitAsync(deadline.Token))
        {
            if (events.Current.EventType == "heartbeat")
            {
                continue;
            }

            read.Add(events.Current);
            if (until(events.Current))
            {
                return read;
            }
        }

        Assert.Fail($"The stream ended before the event it waited for; it had: {string.Join(", ", read.Select(e => e.EventType))}");
        return read;
    }

    private static void AssertContinuous(List<SseItem<string>> events, int from) =>
        Assert.Equal(Enumerable.Range(from, events.Count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), events.Select(e => e.EventId));

    private static string Text(List<SseItem<string>> events) =>
        string.Concat(events.Where(e => e.EventType == "delta").Select(e => (string)e.Data()["text"]!));

    /// <summary>An open SSE response and its parsed events.</summary>
    private sealed class EventStream(HttpResponseMessage response, Stream body) : IDisposable
    {
        public IAsyncEnumerable<SseItem<string>> Events { get; } = SseParser.Create(body).EnumerateAsync();

        public void Dispose()
        {
            body.Dispose();
            response.Dispose();
        }
    }
}
