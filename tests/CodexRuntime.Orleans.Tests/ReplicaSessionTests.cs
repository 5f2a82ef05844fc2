using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json.Nodes;
using CodexRuntime.Orleans.Tests.Support;
using CodexRuntime.Testing;
using CodexRuntime.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;

namespace CodexRuntime.Orleans.Tests;

/// <summary>
/// Issue 28, phase 1: three replicas, each with its own real codex, serve every session through its grain: created on
/// one, driven and read through the others.
/// </summary>
public sealed class ReplicaSessionTests
{
    [Theory]
    [InlineData(ReplicaBackend.InMemory)]
    [InlineData(ReplicaBackend.Redis)]
    public async Task A_session_created_on_replica_1_takes_a_turn_on_replica_2_streams_on_replica_3_and_is_approved_on_replica_2(ReplicaBackend backend)
    {
        await using var replicas = await Replicas.StartAsync(3,
        [
            FakeModelResponse.ExecCommand("touch approved.txt && echo approved-run", requestEscalation: true, callId: "call-orleans"),
            FakeModelResponse.Text("done"),
        ], backend: backend);
        using var one = replicas[1].For("tenant-a");
        using var two = replicas[2].For("tenant-a");
        using var three = replicas[3].For("tenant-a");

        var (sessionId, _) = await one.CreateSessionAsync();
        // It runs on replica 1's codex: the replica that created it.
        Assert.Equal([1, 0, 0], replicas.All.Select(r => r.Adapter.OpenSessions));

        using var started = await two.PostJsonAsync($"/codex/sessions/{sessionId}/turns", new JsonObject { ["text"] = "create approved.txt" });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);

        var approvals = await two.ReadEventsAsync($"/codex/sessions/{sessionId}/approvals", e => e.EventType == "approval");
        var approval = approvals[^1].Data();
        Assert.Equal("command", (string)approval["kind"]!);
        using var answered = await two.PostJsonAsync($"/codex/sessions/{sessionId}/approvals/{approval["approvalId"]}", new JsonObject { ["decision"] = "accept" });
        Assert.Equal(HttpStatusCode.NoContent, answered.StatusCode);

        var events = await three.ReadEventsAsync($"/codex/sessions/{sessionId}/events", e => e.EventType == "turnCompleted");
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), events.Select(e => e.EventId));
        Assert.Equal("turnStarted", events[0].EventType);
        Assert.Contains(events, e => e.EventType == "approval");
        Assert.Contains(events, e => e.EventType == "approvalResolved" && (string)e.Data()["outcome"]! == "accept");
        Assert.True(File.Exists(Path.Combine(replicas[1].Workspace.FullName, "approved.txt")));

        // The state on every replica is the session's own.
        foreach (var replica in replicas.All)
        {
            using var http = replica.For("tenant-a");
            var state = JsonNode.Parse(await http.GetStringAsync($"/codex/sessions/{sessionId}"))!;
            Assert.Equal(sessionId, (string)state["sessionId"]!);
            Assert.Equal(long.Parse(events[^1].EventId!, System.Globalization.CultureInfo.InvariantCulture), (long)state["lastEventId"]!);
        }
    }

    [Fact]
    public async Task Another_tenant_gets_404_for_the_session_through_every_replica()
    {
        await using var replicas = await Replicas.StartAsync(3, [FakeModelResponse.Text("hello")]);
        using var owner = replicas[1].For("tenant-a");
        var (sessionId, _) = await owner.CreateSessionAsync();

        foreach (var replica in replicas.All)
        {
            using var foreign = replica.For("tenant-b");
            using var unknown = await foreign.GetAsync($"/codex/sessions/{new string('0', 48)}");
            using var state = await foreign.GetAsync($"/codex/sessions/{sessionId}");
            using var events = await foreign.GetAsync($"/codex/sessions/{sessionId}/events", HttpCompletionOption.ResponseHeadersRead);
            using var turn = await foreign.PostJsonAsync($"/codex/sessions/{sessionId}/turns", new JsonObject { ["text"] = "hi" });
            using var close = await foreign.DeleteAsync($"/codex/sessions/{sessionId}");
            foreach (var response in new[] { unknown, state, events, turn, close })
            {
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                var problem = await response.ProblemAsync();
                Assert.Equal("NotFound", (string)problem["title"]!);
                Assert.Equal((string)(await unknown.ProblemAsync())["detail"]!, (string)problem["detail"]!); // indistinguishable
            }
        }

        // The session is untouched: its owner still has it.
        using var mine = await replicas[3].For("tenant-a").GetAsync($"/codex/sessions/{sessionId}");
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
    }

    [Fact]
    public async Task Hostile_bodies_and_ids_through_another_replica_get_the_single_process_ProblemDetails_and_reach_no_codex()
    {
        await using var replicas = await Replicas.StartAsync(3, [FakeModelResponse.Text("never sent")]);
        var (sessionId, _) = await replicas[1].For("tenant-a").CreateSessionAsync();
        using var two = replicas[2].For("tenant-a");
        var turns = $"/codex/sessions/{sessionId}/turns";
        var answer = $"/codex/sessions/{sessionId}/approvals/{Guid.NewGuid()}";
        // Each body is read where the request arrives and checked where the session lives (replica 1): the member at
        // fault crosses back with the refusal.
        var bodies = new (string Path, byte[] Body, string Member)[]
        {
            (turns, Utf8("""{"text":"\ud800"}"""), "text"),
            (turns, [.. Utf8("""{"text":"a"""), 0xFF, 0xFE, .. Utf8("\"}")], "text"),
            (turns, Utf8("""{"text":"hi","effort":"\udc00"}"""), "effort"),
            (turns, Utf8("""{"text":"hi","outputSchema":{"type":"object","description":"\ud800"}}"""), "outputSchema.description"),
            (answer, Utf8("""{"decision":"\ud800"}"""), "decision"),
            (answer, Utf8("""{"error":{"message":"\ud800"}}"""), "error.message"),
        };
        foreach (var (path, body, member) in bodies)
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            using var response = await two.PostAsync(path, content);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path} {System.Text.Encoding.UTF8.GetString(body)}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal(member, (string?)(await response.ProblemAsync())["member"]);
        }

        // Ids not of the session shape are unknown without asking the cluster; a shaped id nobody created is unknown too.
        foreach (var id in new[] { sessionId.ToUpperInvariant(), sessionId[..^1], sessionId + "0", "%ED%A0%80" + sessionId[3..], new string('0', 48) })
        {
            using var response = await two.GetAsync($"/codex/sessions/{id}");
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal("NotFound", (string)(await response.ProblemAsync())["title"]!);
        }

        Assert.All(replicas.All, r => Assert.Empty(r.Model.Requests));
        Assert.Equal([1, 0, 0], replicas.All.Select(r => r.Adapter.OpenSessions));
    }

    private static byte[] Utf8(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task Last_event_id_on_replica_3_resumes_a_stream_read_in_part_on_replica_1_without_gap_or_duplicate()
    {
        await using var replicas = await Replicas.StartAsync(3, [FakeModelResponse.Text("one two three four five six")]);
        using var one = replicas[1].For("tenant-a");
        using var three = replicas[3].For("tenant-a");
        var (sessionId, _) = await one.CreateSessionAsync();
        using var started = await one.PostJsonAsync($"/codex/sessions/{sessionId}/turns", new JsonObject { ["text"] = "count" });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);

        var path = $"/codex/sessions/{sessionId}/events";
        var whole = await replicas[2].For("tenant-a").ReadEventsAsync(path, e => e.EventType == "turnCompleted");
        Assert.True(whole.Count >= 4, string.Join(",", whole.Select(e => e.EventType)));

        // Part of it on replica 1 (up to the middle event), the rest from there on replica 3.
        var middle = whole[whole.Count / 2].EventId;
        var first = await one.ReadEventsAsync(path, e => e.EventId == middle);
        var rest = await three.ReadEventsAsync(path, e => e.EventType == "turnCompleted", lastEventId: middle);

        Assert.Equal(Key(whole), Key([.. first, .. rest]));
        Assert.DoesNotContain(rest, e => e.EventType == "reset");
    }

    [Fact]
    public async Task A_stream_through_a_replica_that_stops_ends_at_once_with_serverStopping_though_its_pull_waits_on_another_silo()
    {
        // A pull waits in the grain up to half the response timeout: 5 minutes here, so a stop that waited for it would
        // show as a stop far slower than the 30 s allowed.
        await using var replicas = await Replicas.StartAsync(3, [FakeModelResponse.Text("kept")], responseTimeout: TimeSpan.FromMinutes(10));
        using var one = replicas[1].For("tenant-a");
        using var three = replicas[3].For("tenant-a");
        var (sessionId, _) = await one.CreateSessionAsync();
        using var started = await one.PostJsonAsync($"/codex/sessions/{sessionId}/turns", new JsonObject { ["text"] = "hello" });
        var path = $"/codex/sessions/{sessionId}/events";
        await one.ReadEventsAsync(path, e => e.EventType == "turnCompleted");

        var caughtUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var open = three.ReadEventsAsync(path, e =>
        {
            if (e.EventType == "turnCompleted")
            {
                caughtUp.TrySetResult(); // the next pull now waits on replica 1's silo
            }

            return false; // read until the server ends the stream
        });
        await caughtUp.Task.WaitAsync(WebHost.Deadline);

        await replicas[3].StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var read = await open.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["turnCompleted", "end"], read.TakeLast(2).Select(e => e.EventType));
        Assert.Equal("serverStopping", (string)read[^1].Data()["reason"]!);
        // The session is replica 1's: it goes on, reached through another replica too (replica 3's silo leaving may
        // cost its grain the directory entry; it is activated again on replica 1's silo, where the session is).
        foreach (var replica in new[] { replicas[2], replicas[1] })
        {
            using var state = await replica.For("tenant-a").GetAsync($"/codex/sessions/{sessionId}");
            Assert.True(state.StatusCode == HttpStatusCode.OK, await state.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task A_session_whose_grain_was_collected_is_found_again_through_another_replica()
    {
        await using var replicas = await Replicas.StartAsync(3, [FakeModelResponse.Text("still here")]);
        using var one = replicas[1].For("tenant-a");
        using var two = replicas[2].For("tenant-a");
        var (sessionId, _) = await one.CreateSessionAsync();

        // Every idle activation goes, the session's grain with it (as Orleans collects an idle grain, or makes it again
        // after its directory entry was lost); the next call comes through replica 2.
        var management = replicas[1].Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
        await management.ForceActivationCollection(TimeSpan.Zero);

        using var started = await two.PostJsonAsync($"/codex/sessions/{sessionId}/turns", new JsonObject { ["text"] = "are you there" });
        Assert.True(started.StatusCode == HttpStatusCode.Accepted, await started.Content.ReadAsStringAsync());
        var events = await two.ReadEventsAsync($"/codex/sessions/{sessionId}/events", e => e.EventType == "turnCompleted");
        Assert.Equal("1", events[0].EventId);
        Assert.Equal([1, 0, 0], replicas.All.Select(r => r.Adapter.OpenSessions)); // still replica 1's codex
    }

    private static List<(string Id, string Kind, string Data)> Key(IEnumerable<SseItem<string>> events) =>
        events.Select(e => (e.EventId ?? "", e.EventType, e.Data)).ToList();
}
