using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using CodexRuntime.Orleans.Tests.Support;
using CodexRuntime.Testing;
using CodexRuntime.Web.Tests.Support;
using Xunit.Abstractions;

namespace CodexRuntime.Orleans.Tests;

/// <summary>
/// The process harness of the kill tests: replicas as their own processes on one redis-server, killed for real.
/// </summary>
public sealed class ReplicaProcessTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Three_replica_processes_on_redis_serve_a_session_that_still_answers_through_replica_2_after_replica_3_is_killed()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var model = FakeModelServer.Start().Enqueue(FakeModelResponse.Text("first answer"), FakeModelResponse.Text("second answer"));
        var clusterId = "codex-" + Guid.NewGuid().ToString("N");
        var clock = Stopwatch.StartNew();
        var replicas = await ReplicaProcess.StartAllAsync(3, redis, clusterId, model);
        await using var one = replicas[0];
        await using var two = replicas[1];
        await using var three = replicas[2];
        output.WriteLine($"3 replicas ready in {clock.ElapsedMilliseconds} ms");
        using var through1 = one.For("tenant-a");
        using var through2 = two.For("tenant-a");
        using var through3 = three.For("tenant-a");

        var (sessionId, _) = await through1.CreateSessionAsync();
        using (var started = await through1.PostJsonAsync($"/codex/sessions/{sessionId}/turns", new JsonObject { ["text"] = "first" }))
        {
            Assert.True(started.StatusCode == HttpStatusCode.Accepted, await started.Content.ReadAsStringAsync());
        }

        var path = $"/codex/sessions/{sessionId}/events";
        var first = await through3.ReadEventsAsync(path, e => e.EventType == "turnCompleted");
        Assert.Contains(first, e => e.Data.Contains("first answer", StringComparison.Ordinal));
        Assert.Single(model.ModelRequests);

        // Replica 3 runs a codex of its own (a session of its own), which must die with it.
        await through3.CreateSessionAsync("doc-2");
        clock.Restart();
        var killed = await three.KillAsync();
        output.WriteLine($"replica 3 and its codex ({killed.Count} processes) gone in {clock.ElapsedMilliseconds} ms");
        clock.Restart();
        Assert.True(killed.Count >= 2, $"Replica 3 ran no codex: its tree was {string.Join(", ", killed)}.");

        // Until the cluster has declared replica 3 dead, a call whose grain directory entry was on its silo fails
        // (Orleans gives up after a few placement retries within half a second).
        await two.SeesDeadAsync(three);
        output.WriteLine($"replica 2 saw replica 3 declared dead {clock.ElapsedMilliseconds} ms after the kill");
        // The pull of replica 3's last read may still wait in the session's grain (its cancellation died with replica
        // 3); the next calls then wait for it, up to half Orleans' response timeout (measured: about 13 s in about
        // half of the runs), inside the deadline.
        using (var state = await through2.GetAsync($"/codex/sessions/{sessionId}"))
        {
            Assert.True(state.StatusCode == HttpStatusCode.OK, await state.Content.ReadAsStringAsync());
        }

        using (var started = await through2.PostJsonAsync($"/codex/sessions/{sessionId}/turns", new JsonObject { ["text"] = "second" }))
        {
            Assert.True(started.StatusCode == HttpStatusCode.Accepted, await started.Content.ReadAsStringAsync());
        }

        var second = await through2.ReadEventsAsync(path, e => e.EventType == "turnCompleted", lastEventId: first[^1].EventId);
        Assert.Contains(second, e => e.Data.Contains("second answer", StringComparison.Ordinal));
        Assert.Equal(2, model.ModelRequests.Count);
        output.WriteLine($"a second turn through replica 2 completed {clock.ElapsedMilliseconds} ms after the kill");
        clock.Restart();

        // Graceful stops end every process too (each replica's codex included).
        Assert.Equal(0, await two.StopAsync());
        Assert.Equal(0, await one.StopAsync());
        output.WriteLine($"replicas 2 and 1 stopped (SIGTERM) in {clock.ElapsedMilliseconds} ms");
    }
}
