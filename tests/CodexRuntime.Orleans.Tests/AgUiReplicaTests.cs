using System.Net;
using System.Text.Json.Nodes;
using CodexRuntime.Events;
using CodexRuntime.Testing;
using CodexRuntime.Web.Tests.Support;

namespace CodexRuntime.Orleans.Tests;

/// <summary>
/// Issue 28: <c>MapCodexAGUI</c> on three replicas, each with its own real codex, read as plain SSE. An AG-UI thread
/// lives on one silo (the one its key ranks first, whichever replica its first run came through) and every replica
/// serves its runs: continuing it, reloading it, re-attaching to a run, answering its interrupt.
/// </summary>
public sealed class AgUiReplicaTests
{
    [Fact]
    public async Task A_thread_started_through_replica_1_continues_through_replica_2_and_reloads_and_re_attaches_through_replica_3()
    {
        await using var replicas = await StartAsync([FakeModelResponse.Text("the first answer"), FakeModelResponse.Text("the second answer")]);
        using var one = replicas[1].For("tenant-a");
        using var two = replicas[2].For("tenant-a");
        using var three = replicas[3].For("tenant-a");

        var first = await one.RunAsync(AgUiHttp.Input("thread-1", "run-1", [AgUiHttp.User("m1", "the first question")]));
        AgUiHttp.AssertWellFormed(first);
        Assert.Equal("the first answer", Text(first));
        var holder = Assert.Single(replicas.All, r => r.Adapter.OpenSessions == 1);
        var reply = (string)first.First(e => e.Type() == "TEXT_MESSAGE_START")["messageId"]!;

        var secondInput = AgUiHttp.Input("thread-1", "run-2", [AgUiHttp.User("m1", "the first question"), AgUiHttp.Assistant(reply, "the first answer"), AgUiHttp.User("m2", "the second question")]);
        var second = await two.RunAsync(secondInput);

        AgUiHttp.AssertWellFormed(second);
        Assert.Equal("the second answer", Text(second));
        // The same codex thread, on the holder's codex: its model request carries the first exchange.
        Assert.Equal(2, holder.Model.ModelRequests.Count);
        Assert.Equal("the second question", holder.Model.ModelRequests[^1].LastUserText);
        Assert.Contains("the first question", holder.Model.ModelRequests[^1].Body, StringComparison.Ordinal);
        Assert.Contains("the first answer", holder.Model.ModelRequests[^1].Body, StringComparison.Ordinal);

        var reload = await three.RunAsync(AgUiHttp.Input("thread-1", "run-3", []));
        AgUiHttp.AssertWellFormed(reload);
        var snapshot = Assert.Single(reload, e => e.Type() == "MESSAGES_SNAPSHOT")["messages"]!.AsArray();
        Assert.Equal(["the first question", "the first answer", "the second question", "the second answer"], snapshot.Select(m => (string)m!["content"]!));

        // The same run id again, through another replica: the run's events from its start, nothing asked twice.
        var again = await three.RunAsync(secondInput);
        AgUiHttp.AssertWellFormed(again);
        Assert.Equal("the second answer", Text(again));
        Assert.Equal("success", (string)again[^1]["outcome"]!["type"]!);
        Assert.Equal(2, replicas.All.Sum(r => r.Model.ModelRequests.Count));
        Assert.Equal(1, replicas.All.Sum(r => r.Adapter.OpenSessions));
    }

    [Fact]
    public async Task An_interrupt_raised_in_a_run_through_replica_2_is_answered_through_replica_3_and_the_same_turn_goes_on()
    {
        await using var replicas = await StartAsync(
        [
            FakeModelResponse.ExecCommand("touch approved.txt && echo approved-run", requestEscalation: true, callId: "call-agui-orleans"),
            FakeModelResponse.Text("done"),
        ]);
        var audits = replicas.All.Select(r => r.Client.Runtime.Subscribe(new CodexSubscriptionOptions { Capacity = 100_000 })).ToList();
        try
        {
            using var two = replicas[2].For("tenant-a");
            using var three = replicas[3].For("tenant-a");
            var messages = new JsonArray(AgUiHttp.User("m1", "create approved.txt"));

            var first = await two.RunAsync(AgUiHttp.Input("thread-1", "run-1", messages));

            AgUiHttp.AssertWellFormed(first);
            var outcome = first[^1]["outcome"]!;
            Assert.Equal("interrupt", (string)outcome["type"]!);
            var interrupt = Assert.Single(outcome["interrupts"]!.AsArray())!;
            Assert.Equal("codex.command", (string)interrupt["reason"]!);
            var holder = Assert.Single(replicas.All, r => r.Adapter.OpenSessions == 1);
            Assert.False(File.Exists(Path.Combine(holder.Workspace.FullName, "approved.txt")));

            // A refusal made on the holder's silo reaches the client through another replica as the same ProblemDetails.
            using var one = replicas[1].For("tenant-a");
            using var busy = await one.PostJsonAsync("/agui", AgUiHttp.Input("thread-1", "run-busy", [AgUiHttp.User("m1", "create approved.txt"), AgUiHttp.User("m2", "something else")]));
            Assert.Equal(HttpStatusCode.Conflict, busy.StatusCode);
            Assert.Equal("resume", (string?)(await busy.ProblemAsync())["member"]);

            var resume = new JsonArray(new JsonObject { ["interruptId"] = (string)interrupt["id"]!, ["status"] = "resolved", ["payload"] = new JsonObject { ["decision"] = "accept" } });
            var second = await three.RunAsync(AgUiHttp.Input("thread-1", "run-2", messages.DeepClone().AsArray(), resume));

            AgUiHttp.AssertWellFormed(second);
            Assert.Equal("success", (string)second[^1]["outcome"]!["type"]!);
            Assert.Equal("done", Text(second));
            Assert.True(File.Exists(Path.Combine(holder.Workspace.FullName, "approved.txt")));
            var seen = audits.Select(_ => new List<CodexEnvelope>()).ToList();
            Assert.Equal(1, audits.Select((audit, i) => audit.Sent(seen[i], "turn/start")).Sum());
            Assert.Equal(1, audits.Select((audit, i) => audit.Sent(seen[i], "thread/start")).Sum());
        }
        finally
        {
            audits.ForEach(a => a.Dispose());
        }
    }

    [Fact]
    public async Task Another_tenants_thread_id_is_an_unknown_thread_through_every_replica()
    {
        // Each replica's model answers the same script: tenant-b's thread may live on another replica than the owner's.
        await using var replicas = await StartAsync([FakeModelResponse.Text("the owner's answer"), FakeModelResponse.Text("the owner's answer")]);
        using var owner = replicas[1].For("tenant-a");
        var first = await owner.RunAsync(AgUiHttp.Input("thread-1", "run-1", [AgUiHttp.User("m1", "hello")]));
        var reply = (string)first.First(e => e.Type() == "TEXT_MESSAGE_START")["messageId"]!;
        var history = new JsonArray(AgUiHttp.User("m1", "hello"), AgUiHttp.Assistant(reply, "the owner's answer"), AgUiHttp.User("m2", "more"));

        foreach (var replica in replicas.All)
        {
            using var foreign = replica.For("tenant-b");
            using var unknown = await foreign.PostJsonAsync("/agui", AgUiHttp.Input("thread-unknown", "run-2", history.DeepClone().AsArray()));
            using var continued = await foreign.PostJsonAsync("/agui", AgUiHttp.Input("thread-1", "run-2", history.DeepClone().AsArray()));
            using var reloaded = await foreign.PostJsonAsync("/agui", AgUiHttp.Input("thread-1", "run-3", []));
            using var reattached = await foreign.PostJsonAsync("/agui", AgUiHttp.Input("thread-1", "run-1", [AgUiHttp.User("m1", "hello"), AgUiHttp.Assistant(reply, "the owner's answer")]));
            var expected = await unknown.ProblemAsync();
            foreach (var response in new[] { unknown, continued, reloaded, reattached })
            {
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                var problem = await response.ProblemAsync();
                Assert.Equal((string)expected["detail"]!, (string)problem["detail"]!); // indistinguishable
            }
        }

        // The same name from another tenant starts that tenant's own thread; the owner's is untouched.
        using var other = replicas[3].For("tenant-b");
        var own = await other.RunAsync(AgUiHttp.Input("thread-1", "run-1", [AgUiHttp.User("b1", "hello from b")]));
        AgUiHttp.AssertWellFormed(own);
        Assert.Equal("success", (string)own[^1]["outcome"]!["type"]!);
        Assert.Equal(2, replicas.All.Sum(r => r.Adapter.OpenSessions));
        Assert.DoesNotContain("the owner's answer", replicas.All.SelectMany(r => r.Model.ModelRequests).Last(r => r.LastUserText == "hello from b").Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_thread_is_lost_with_its_silo_and_a_run_claiming_its_history_is_a_404()
    {
        // Replica 1's silo is the cluster's primary (localhost clustering) and stays: threads are started until one
        // lives on replica 2 or 3 (each with a chance of 2 in 3; the key's rank decides, not the replica posted to).
        const int Tries = 10;
        await using var replicas = await StartAsync(Enumerable.Repeat(FakeModelResponse.Text("an answer"), Tries).ToArray());
        using var one = replicas[1].For("tenant-a");
        (string ThreadId, JsonArray History, WebHost Holder)? lost = null;
        for (var i = 0; i < Tries && lost is null; i++)
        {
            var threadId = $"thread-{i}";
            var open = replicas.All.Select(r => r.Adapter.OpenSessions).ToList();
            var run = await one.RunAsync(AgUiHttp.Input(threadId, "run-1", [AgUiHttp.User("m1", "hello")]));
            Assert.Equal("success", (string)run[^1]["outcome"]!["type"]!);
            var reply = (string)run.First(e => e.Type() == "TEXT_MESSAGE_START")["messageId"]!;
            var holder = Assert.Single(replicas.All.Where((r, k) => r.Adapter.OpenSessions == open[k] + 1));
            if (holder != replicas[1])
            {
                lost = (threadId, new JsonArray(AgUiHttp.User("m1", "hello"), AgUiHttp.Assistant(reply, "an answer"), AgUiHttp.User("m2", "more")), holder);
            }
        }

        Assert.NotNull(lost);
        await lost.Value.Holder.StopAsync().WaitAsync(TimeSpan.FromSeconds(90));

        using var unknown = await one.PostJsonAsync("/agui", AgUiHttp.Input("thread-unknown", "run-2", lost.Value.History.DeepClone().AsArray()));
        using var continued = await one.PostJsonAsync("/agui", AgUiHttp.Input(lost.Value.ThreadId, "run-2", lost.Value.History.DeepClone().AsArray()));
        Assert.Equal(HttpStatusCode.NotFound, continued.StatusCode);
        Assert.Equal((string)(await unknown.ProblemAsync())["detail"]!, (string)(await continued.ProblemAsync())["detail"]!);
    }

    private static async Task<Replicas> StartAsync(FakeModelResponse[] script)
    {
        WebHost.AgUiPrefix.Value = "/agui";
        return await Replicas.StartAsync(3, script);
    }

    private static string Text(List<JsonObject> events) =>
        string.Concat(events.Where(e => e.Type() == "TEXT_MESSAGE_CONTENT").Select(e => (string)e["delta"]!));
}
