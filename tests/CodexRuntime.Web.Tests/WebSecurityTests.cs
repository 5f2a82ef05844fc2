using System.Net;
using System.Text.Json.Nodes;
using CodexRuntime.Protocol;
using CodexRuntime.Testing;
using CodexRuntime.Web.Tests.Support;

namespace CodexRuntime.Web.Tests;

/// <summary>Tenants, request bodies and reconnects, over real HTTP and the newest codex.</summary>
public sealed class WebSecurityTests
{
    private static readonly string Newest = CodexProtocolVersions.Pinned.ToString();

    [Fact]
    public async Task Another_tenants_session_and_approval_are_404_on_every_endpoint_and_anonymous_is_401()
    {
        await using var host = await WebHost.StartAsync(Newest,
        [
            FakeModelResponse.ExecCommand("touch approved.txt", requestEscalation: true, callId: "call-a"),
            FakeModelResponse.Text("done"),
        ]);
        using var a = host.For("tenant-a");
        using var b = host.For("tenant-b");
        using var anonymous = host.For(null);
        var (sessionId, _) = await a.CreateSessionAsync();
        using var started = await a.PostJsonAsync($"/codex/sessions/{sessionId}/turns", new JsonObject { ["text"] = "create approved.txt" });
        var approvalEvents = await a.ReadEventsAsync($"/codex/sessions/{sessionId}/approvals", e => e.EventType == "approval");
        var approvalId = (string)approvalEvents[^1].Data()["approvalId"]!;
        var modelRequests = host.Model.Requests.Count;

        var attempts = new (HttpMethod Method, string Path, JsonNode? Body)[]
        {
            (HttpMethod.Get, $"/codex/sessions/{sessionId}", null),
            (HttpMethod.Post, $"/codex/sessions/{sessionId}/turns", new JsonObject { ["text"] = "hijack" }),
            (HttpMethod.Post, $"/codex/sessions/{sessionId}/interrupt", null),
            (HttpMethod.Get, $"/codex/sessions/{sessionId}/events", null),
            (HttpMethod.Get, $"/codex/sessions/{sessionId}/approvals", null),
            (HttpMethod.Post, $"/codex/sessions/{sessionId}/approvals/{approvalId}", new JsonObject { ["decision"] = "accept" }),
            (HttpMethod.Delete, $"/codex/sessions/{sessionId}", null),
        };
        foreach (var (method, path, body) in attempts)
        {
            using var foreign = await b.SendAsync(new HttpRequestMessage(method, path) { Content = body is null ? null : CodexHttp.Json(body) });
            Assert.True(foreign.StatusCode == HttpStatusCode.NotFound, $"{method} {path} as tenant B: {(int)foreign.StatusCode}");
            Assert.Equal(404, (int)(await foreign.ProblemAsync())["status"]!);
            using var unauthenticated = await anonymous.SendAsync(new HttpRequestMessage(method, path) { Content = body is null ? null : CodexHttp.Json(body) });
            Assert.True(unauthenticated.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} anonymous: {(int)unauthenticated.StatusCode}");
        }

        using var missing = await b.GetAsync("/codex/sessions/" + new string('0', 32));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(await (await b.GetAsync($"/codex/sessions/{sessionId}")).ProblemAsync().ContinueWith(t => t.Result["detail"]!.ToString()), (await missing.ProblemAsync())["detail"]!.ToString());

        // Nothing of B's reached codex or A's session: the approval is still A's to answer, the turn still runs.
        Assert.Equal(modelRequests, host.Model.Requests.Count);
        var state = JsonNode.Parse(await a.GetStringAsync($"/codex/sessions/{sessionId}"))!;
        Assert.Equal("active", (string)state["status"]!);
        Assert.Equal(approvalId, (string)state["pendingApprovals"]![0]!["approvalId"]!);
        using var answered = await a.PostJsonAsync($"/codex/sessions/{sessionId}/approvals/{approvalId}", new JsonObject { ["decision"] = "decline" });
        Assert.Equal(HttpStatusCode.NoContent, answered.StatusCode);
        var events = await a.ReadEventsAsync($"/codex/sessions/{sessionId}/events", e => e.EventType == "turnCompleted");
        Assert.Equal("completed", (string)events[^1].Data()["status"]!);
        Assert.Equal(32, sessionId.Length); // 128 random bits, hex
    }

    [Fact]
    public async Task A_turn_body_that_names_anything_outside_its_shape_is_refused_and_nothing_reaches_codex()
    {
        await using var host = await WebHost.StartAsync(Newest, [FakeModelResponse.Text("never sent")], options => options.Adapter.MaxPromptBytes = 64);
        using var a = host.For("tenant-a");
        var (sessionId, _) = await a.CreateSessionAsync();
        var (otherSession, otherThread) = await a.CreateSessionAsync("doc-2");
        var outbound = host.Client.Runtime.Subscribe(new Events.CodexSubscriptionOptions { Capacity = 10_000 });

        var attacks = new (JsonObject Body, string Member)[]
        {
            (new JsonObject { ["text"] = "hi", ["threadId"] = otherThread }, "threadId"),
            (new JsonObject { ["text"] = "hi", ["cwd"] = "/" }, "cwd"),
            (new JsonObject { ["text"] = "hi", ["sandbox"] = "danger-full-access" }, "sandbox"),
            (new JsonObject { ["text"] = "hi", ["sandboxPolicy"] = new JsonObject { ["type"] = "dangerFullAccess" } }, "sandboxPolicy"),
            (new JsonObject { ["text"] = "hi", ["approvalPolicy"] = "never" }, "approvalPolicy"),
            (new JsonObject { ["text"] = "hi", ["model"] = "gpt-expensive" }, "model"),
            (new JsonObject { ["text"] = "hi", ["effort"] = "xhigh" }, "effort"),
            (new JsonObject { ["text"] = "hi", ["surprise"] = true }, "surprise"),
            (new JsonObject { ["text"] = "hi", ["attachments"] = new JsonArray() }, "attachments"),
            (new JsonObject { ["text"] = 42 }, "text"),
        };
        foreach (var (body, member) in attacks)
        {
            using var refused = await a.PostJsonAsync($"/codex/sessions/{sessionId}/turns", body);
            Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, $"{body.ToJsonString()}: {(int)refused.StatusCode}");
            var problem = await refused.ProblemAsync();
            Assert.Equal(member, (string)problem["member"]!);
            Assert.Contains(member, (string)problem["detail"]!, StringComparison.Ordinal);
        }

        using var tooLong = await a.PostJsonAsync($"/codex/sessions/{sessionId}/turns", new JsonObject { ["text"] = new string('x', 65) });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLong.StatusCode);
        using var badModel = await a.PostJsonAsync("/codex/sessions", new JsonObject { ["artifactId"] = "doc-3", ["model"] = "gpt-expensive" });
        Assert.Equal(HttpStatusCode.BadRequest, badModel.StatusCode);
        using var notJson = await a.PostAsync($"/codex/sessions/{sessionId}/turns", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);

        Assert.Empty(host.Model.Requests);
        var sent = new List<string>();
        while (outbound.Reader.TryRead(out var envelope))
        {
            sent.Add(envelope.Method ?? string.Empty);
        }

        Assert.DoesNotContain("turn/start", sent);
        Assert.NotEqual(sessionId, otherSession);
    }

    [Fact]
    public async Task A_tenant_over_its_session_limit_gets_429_with_Retry_After_and_others_are_unaffected()
    {
        await using var host = await WebHost.StartAsync(Newest, [], options => options.Adapter.MaxSessionsPerTenant = 1);
        using var a = host.For("tenant-a");
        using var b = host.For("tenant-b");
        await a.CreateSessionAsync("doc-1");

        using var refused = await a.PostJsonAsync("/codex/sessions", new JsonObject { ["artifactId"] = "doc-2" });

        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
        Assert.Equal("5", refused.Headers.GetValues("Retry-After").Single());
        Assert.Equal("LimitExceeded", (string)(await refused.ProblemAsync())["title"]!);
        await b.CreateSessionAsync("doc-1");
    }

    [Fact]
    public async Task A_reconnect_with_Last_Event_ID_gets_exactly_the_missed_events_and_one_beyond_the_buffer_gets_reset()
    {
        var chunks = Enumerable.Range(1, 30).Select(i => $"w{i} ").ToArray();
        await using var host = await WebHost.StartAsync(Newest, [FakeModelResponse.StreamedText(chunks)], options => options.Adapter.ReplayBufferSize = 1000);
        using var a = host.For("tenant-a");
        var (sessionId, _) = await a.CreateSessionAsync();
        using var started = await a.PostJsonAsync($"/codex/sessions/{sessionId}/turns", new JsonObject { ["text"] = "count" });
        var all = await a.ReadEventsAsync($"/codex/sessions/{sessionId}/events", e => e.EventType == "turnCompleted");
        Assert.True(all.Count > 30);

        foreach (var k in new[] { 1, 7, all.Count - 1 })
        {
            var resumed = await a.ReadEventsAsync($"/codex/sessions/{sessionId}/events", e => e.EventType == "turnCompleted", lastEventId: k.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(all.Skip(k).Select(e => (e.EventId, e.EventType, e.Data)), resumed.Select(e => (e.EventId, e.EventType, e.Data)));
        }

        // A page that reloaded opens a new EventSource, which cannot set headers: ?lastEventId= does the same, and
        // the header (an EventSource's own reconnect) wins over the URL's older id.
        var fromQuery = await a.ReadEventsAsync($"/codex/sessions/{sessionId}/events?lastEventId=5", e => e.EventType == "turnCompleted");
        Assert.Equal(all.Skip(5).Select(e => e.EventId), fromQuery.Select(e => e.EventId));
        var headerWins = await a.ReadEventsAsync($"/codex/sessions/{sessionId}/events?lastEventId=5", e => e.EventType == "turnCompleted", lastEventId: "9");
        Assert.Equal(all.Skip(9).Select(e => e.EventId), headerWins.Select(e => e.EventId));
    }

    [Fact]
    public async Task A_reconnect_from_before_the_kept_events_is_told_to_reset()
    {
        var chunks = Enumerable.Range(1, 30).Select(i => $"w{i} ").ToArray();
        await using var host = await WebHost.StartAsync(Newest, [FakeModelResponse.StreamedText(chunks)], options => options.Adapter.ReplayBufferSize = 8);
        using var a = host.For("tenant-a");
        var (sessionId, _) = await a.CreateSessionAsync();
        using var started = await a.PostJsonAsync($"/codex/sessions/{sessionId}/turns", new JsonObject { ["text"] = "count" });
        // Follow the turn to its end; a reader that falls more than 8 events behind is itself reset on the way.
        var cursor = "0";
        while (true)
        {
            var batch = await a.ReadEventsAsync($"/codex/sessions/{sessionId}/events", e => e.EventType is "turnCompleted" or "reset", lastEventId: cursor);
            if (batch[^1].EventType == "turnCompleted")
            {
                break;
            }

            cursor = batch[^1].EventId!;
            var now = JsonNode.Parse(await a.GetStringAsync($"/codex/sessions/{sessionId}"))!;
            if ((string)now["turns"]![0]!["status"]! != "inProgress")
            {
                break; // it ended among the events no longer kept
            }
        }

        var lastId = (long)JsonNode.Parse(await a.GetStringAsync($"/codex/sessions/{sessionId}"))!["lastEventId"]!;
        Assert.True(lastId > 9); // more events than the 8 kept

        var reconnect = await a.ReadEventsAsync($"/codex/sessions/{sessionId}/events", e => e.EventType == "reset", lastEventId: "1");

        var reset = Assert.Single(reconnect);
        Assert.Equal(lastId.ToString(System.Globalization.CultureInfo.InvariantCulture), reset.EventId);
        Assert.Equal(lastId, (long)reset.Data()["lastEventId"]!);
        var state = JsonNode.Parse(await a.GetStringAsync($"/codex/sessions/{sessionId}"))!;
        Assert.Equal(lastId, (long)state["lastEventId"]!);
        Assert.Equal(string.Concat(chunks).TrimEnd(), ((string)state["turns"]![0]!["text"]!).TrimEnd());
    }
}
