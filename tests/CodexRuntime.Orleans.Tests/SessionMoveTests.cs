using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using CodexRuntime.Orleans.Tests.Support;
using CodexRuntime.Testing;
using CodexRuntime.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CodexRuntime.Orleans.Tests;

/// <summary>
/// Issue 28, phase 2: a session outlives the silo that held it. Its grain's record (in Redis) keeps the codex thread's
/// rollout, the turns, the event ids and the newest events; the next call through another replica resumes it there.
/// </summary>
public sealed class SessionMoveTests
{
    [Theory]
    // A turn that ends within the drain time completes; one that does not is interrupted after it.
    [InlineData(12, 250, 60, "completed")]
    [InlineData(200, 250, 1, "interrupted")]
    public async Task A_silo_that_stops_during_a_turn_drains_it_and_the_session_goes_on_elsewhere_with_its_history_and_ids(int chunks, int paceMs, int drainSeconds, string outcome)
    {
        var slow = Enumerable.Range(0, chunks).Select(i => $"w{i} ");
        await using var replicas = await Replicas.StartAsync(3,
        [
            FakeModelResponse.Text("first answer XYZZY"),
            FakeModelResponse.StreamedText(slow, TimeSpan.FromMilliseconds(paceMs)),
            FakeModelResponse.Text("after the move"),
        ], backend: ReplicaBackend.Redis, orleans: o => o.DrainTimeout = TimeSpan.FromSeconds(drainSeconds));
        using var two = replicas[2].For("tenant-a");
        using var three = replicas[3].For("tenant-a");
        using var metrics = new OrleansMeasurements(replicas.All.Select(r => r.Services.GetRequiredService<IMeterFactory>()));
        var (sessionId, _) = await replicas[1].For("tenant-a").CreateSessionAsync();
        var path = $"/codex/sessions/{sessionId}/events";

        (await two.PostJsonAsync($"/codex/sessions/{sessionId}/turns", new JsonObject { ["text"] = "alpha prompt" })).Dispose();
        var first = await two.ReadEventsAsync(path, e => e.EventType == "turnCompleted");

        // The slow turn runs on replica 1's codex; replica 3 streams it. Replica 1 stops once it has begun.
        (await two.PostJsonAsync($"/codex/sessions/{sessionId}/turns", new JsonObject { ["text"] = "beta prompt" })).Dispose();
        var streaming = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reading = three.ReadEventsAsync(path, e =>
        {
            if (e.EventType == "delta")
            {
                streaming.TrySetResult();
            }

            return e.EventType == "end";
        }, lastEventId: first[^1].EventId);
        await streaming.Task.WaitAsync(WebHost.Deadline);
        await replicas[1].StopAsync().WaitAsync(TimeSpan.FromSeconds(90));
        var before = await reading.WaitAsync(WebHost.Deadline);
        Assert.Contains((string)before[^1].Data()["reason"]!, new[] { "sessionMoving", "serverStopping" });

        // The client reconnects through another replica with its Last-Event-ID (as EventSource does); a third turn
        // runs where the session is now.
        var completed = 1 + before.Count(e => e.EventType == "turnCompleted");
        var reconnected = three.ReadEventsAsync(path, e => e.EventType == "turnCompleted" && ++completed == 3, lastEventId: before[^2].EventId);
        using var third = await three.PostJsonAsync($"/codex/sessions/{sessionId}/turns", new JsonObject { ["text"] = "gamma prompt" });
        Assert.True(third.StatusCode == HttpStatusCode.Accepted, await third.Content.ReadAsStringAsync());
        var after = await reconnected.WaitAsync(WebHost.Deadline);

        // Every event once, in order, across the move: the missed ones replayed from the record, no reset.
        var events = first.Concat(before.SkipLast(1)).Concat(after).ToList();
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => i.ToString(CultureInfo.InvariantCulture)), events.Select(e => e.EventId));
        Assert.DoesNotContain(events, e => e.EventType == "reset");
        var ends = events.Where(e => e.EventType == "turnCompleted").Select(e => (string)e.Data()["status"]!).ToList();
        Assert.Equal(["completed", outcome, "completed"], ends);

        // It runs on one of the replicas left, and its model request carried the conversation before the move.
        var holder = Assert.Single(new[] { replicas[2], replicas[3] }, r => r.Adapter.OpenSessions == 1);
        var request = holder.Model.ModelRequests[^1].Body;
        Assert.Contains("first answer XYZZY", request);
        Assert.Contains("beta prompt", request);
        var state = JsonNode.Parse(await two.GetStringAsync($"/codex/sessions/{sessionId}"))!;
        Assert.Equal(["completed", outcome, "completed"], state["turns"]!.AsArray().Select(t => (string)t!["status"]!));

        // Each silo's meter says what happened there: replica 1 held the session and let it go; the holder took it over.
        var holderIndex = replicas.All.ToList().IndexOf(holder);
        Assert.Equal(0, metrics.Sum(0, "codex.orleans.sessions"));
        Assert.Equal(1, metrics.Sum(holderIndex, "codex.orleans.sessions"));
        Assert.Equal(1, metrics.Sum(holderIndex, "codex.orleans.session.moves"));
        Assert.Equal(0, metrics.Sum(holderIndex, "codex.orleans.turns.lost"));
        Assert.True(metrics.Sum(2, "codex.orleans.sse.streams.opened") >= 2, "replica 3 served its streams through the grain");
    }
}
