using System.Globalization;
using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json.Nodes;
using CodexRuntime.Orleans.Tests.Support;
using CodexRuntime.Testing;
using CodexRuntime.Web.Tests.Support;

namespace CodexRuntime.Orleans.Tests;

/// <summary>
/// Issue 28, Must show 2: the replica that holds a session is killed (SIGKILL of its process and its codex; no shutdown
/// runs). Three replica processes on a real redis-server, every codex calling the test's one model.
/// </summary>
public sealed class SessionKillTests
{
    [Fact]
    public async Task Killed_between_turns_the_session_resumes_on_another_replica_with_its_history_and_a_reconnecting_client_is_replayed()
    {
        await using var cluster = await Cluster.StartAsync(FakeModelResponse.Text("after the kill"));
        var (one, two, three, through2, through3, sessionId, path, first, model) = cluster;

        await one.KillAsync();
        await two.SeesDeadAsync(one);
        await three.SeesDeadAsync(one);

        // The next request, through replica 2, resumes the session on a replica left; a client reconnects through replica 3.
        using var started = await through2.PostJsonAsync($"/codex/sessions/{sessionId}/turns", new JsonObject { ["text"] = "beta prompt" });
        Assert.True(started.StatusCode == HttpStatusCode.Accepted, await started.Content.ReadAsStringAsync());
        var second = await through3.ReadEventsAsync(path, e => e.EventType == "turnCompleted", lastEventId: first[^1].EventId);

        // The ids go on where the client was: no reset, no gap, no duplicate.
        var events = first.Concat(second).ToList();
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => i.ToString(CultureInfo.InvariantCulture)), events.Select(e => e.EventId));
        Assert.DoesNotContain(events, e => e.EventType == "reset");
        Assert.Equal("completed", (string)second[^1].Data()["status"]!);
        Assert.Contains("after the kill", (string)second[^1].Data()["text"]!);

        // History kept: the new turn's model request carries the earlier exchange (the rollout moved with the record).
        var request = model.ModelRequests[^1].Body;
        Assert.Contains("alpha prompt", request);
        Assert.Contains("first answer XYZZY", request);
        var state = JsonNode.Parse(await through3.GetStringAsync($"/codex/sessions/{sessionId}"))!;
        Assert.Equal(["completed", "completed"], state["turns"]!.AsArray().Select(t => (string)t!["status"]!));
    }

    [Fact]
    public async Task Killed_during_a_turn_the_turn_is_reported_failed_clients_are_reset_and_the_session_goes_on_with_its_history()
    {
        var slow = Enumerable.Range(0, 400).Select(i => $"w{i} ");
        await using var cluster = await Cluster.StartAsync(FakeModelResponse.StreamedText(slow, TimeSpan.FromMilliseconds(250)), FakeModelResponse.Text("after the kill"));
        var (one, two, three, through2, through3, sessionId, path, first, model) = cluster;

        // The slow turn runs on replica 1's codex, streamed through replica 3; replica 1 dies in the middle of it.
        using var running = await through2.PostJsonAsync($"/codex/sessions/{sessionId}/turns", new JsonObject { ["text"] = "beta prompt" });
        var lostTurn = (string)JsonNode.Parse(await running.Content.ReadAsStringAsync())!["turnId"]!;
        var streaming = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var before = new List<SseItem<string>>();
        var reading = ReadUntilBrokenAsync(through3, path, first[^1].EventId!, before, streaming);
        await streaming.Task.WaitAsync(WebHost.Deadline);
        await one.KillAsync();
        await reading.WaitAsync(WebHost.Deadline);
        await two.SeesDeadAsync(one);
        await three.SeesDeadAsync(one);

        // The client reconnects with its Last-Event-ID and is reset (its ids went on past what the record kept); the
        // reset says the lost turn failed. A new turn runs where the session is now.
        var seen = before.Last(e => e.EventType != "end").EventId!;
        var reset = Assert.Single(await through2.ReadEventsAsync(path, e => true, lastEventId: seen));
        Assert.Equal("reset", reset.EventType);
        Assert.Equal(lostTurn, (string)reset.Data()["turn"]!["turnId"]!);
        Assert.Equal("failed", (string)reset.Data()["turn"]!["status"]!);
        using var third = await through3.PostJsonAsync($"/codex/sessions/{sessionId}/turns", new JsonObject { ["text"] = "gamma prompt" });
        Assert.True(third.StatusCode == HttpStatusCode.Accepted, await third.Content.ReadAsStringAsync());
        var after = (await through2.ReadEventsAsync(path, e => e.EventType == "turnCompleted", lastEventId: reset.EventId)).Prepend(reset).ToList();

        // Never an id twice: everything after the reset is past every id the client saw before.
        var ids = after.Select(e => long.Parse(e.EventId!, CultureInfo.InvariantCulture)).ToList();
        Assert.True(ids[0] > long.Parse(seen, CultureInfo.InvariantCulture));
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal("completed", (string)after[^1].Data()["status"]!);

        var state = JsonNode.Parse(await through3.GetStringAsync($"/codex/sessions/{sessionId}"))!;
        Assert.Equal(["completed", "failed", "completed"], state["turns"]!.AsArray().Select(t => (string)t!["status"]!));
        var request = model.ModelRequests[^1].Body;
        Assert.Contains("first answer XYZZY", request); // the history up to the last turn that ended
        Assert.Contains("gamma prompt", request);
    }

    /// <summary>Reads the stream until the server ends it or the connection breaks (the replica died), keeping what came.</summary>
    private static async Task ReadUntilBrokenAsync(HttpClient http, string path, string lastEventId, List<SseItem<string>> into, TaskCompletionSource streaming)
    {
        try
        {
            await http.ReadEventsAsync(path, e =>
            {
                into.Add(e);
                if (e.EventType == "delta")
                {
                    streaming.TrySetResult();
                }

                return e.EventType == "end";
            }, lastEventId);
        }
        catch (HttpIOException)
        {
            // The stream broke with the replica that held it: as a browser sees a dropped connection.
        }
    }

    /// <summary>
    /// Three replica processes on a redis-server, every codex calling one model; a session created through replica 1
    /// (held there) has taken its first turn ("alpha prompt", answered "first answer XYZZY"), posted through replica 2
    /// and read through replica 3.
    /// </summary>
    private sealed class Cluster : IAsyncDisposable
    {
        private readonly RedisServer _redis;
        private readonly ReplicaProcess[] _replicas;
        private readonly HttpClient[] _clients;

        private Cluster(RedisServer redis, FakeModelServer model, ReplicaProcess[] replicas)
        {
            _redis = redis;
            Model = model;
            _replicas = replicas;
            _clients = [.. replicas.Select(r => r.For("tenant-a"))];
        }

        public FakeModelServer Model { get; }

        public string SessionId { get; private set; } = "";

        public List<SseItem<string>> First { get; private set; } = [];

        /// <summary>Starts it; <paramref name="afterFirst"/> are the model's answers after the first turn's.</summary>
        public static async Task<Cluster> StartAsync(params FakeModelResponse[] afterFirst)
        {
            var redis = await RedisServer.StartAsync();
            var model = FakeModelServer.Start().Enqueue([FakeModelResponse.Text("first answer XYZZY"), .. afterFirst]);
            var cluster = new Cluster(redis, model, await ReplicaProcess.StartAllAsync(3, redis, "codex-" + Guid.NewGuid().ToString("N"), model));
            try
            {
                (cluster.SessionId, _) = await cluster._clients[0].CreateSessionAsync();
                (await cluster._clients[1].PostJsonAsync($"/codex/sessions/{cluster.SessionId}/turns", new JsonObject { ["text"] = "alpha prompt" })).Dispose();
                cluster.First = await cluster._clients[2].ReadEventsAsync($"/codex/sessions/{cluster.SessionId}/events", e => e.EventType == "turnCompleted");
                return cluster;
            }
            catch
            {
                await cluster.DisposeAsync();
                throw;
            }
        }

        public void Deconstruct(out ReplicaProcess one, out ReplicaProcess two, out ReplicaProcess three, out HttpClient through2, out HttpClient through3, out string sessionId, out string path, out List<SseItem<string>> first, out FakeModelServer model) =>
            (one, two, three, through2, through3, sessionId, path, first, model) =
                (_replicas[0], _replicas[1], _replicas[2], _clients[1], _clients[2], SessionId, $"/codex/sessions/{SessionId}/events", First, Model);

        public async ValueTask DisposeAsync()
        {
            foreach (var client in _clients)
            {
                client.Dispose();
            }

            foreach (var replica in _replicas.Reverse())
            {
                await replica.DisposeAsync();
            }

            await Model.DisposeAsync();
            await _redis.DisposeAsync();
        }
    }
}
