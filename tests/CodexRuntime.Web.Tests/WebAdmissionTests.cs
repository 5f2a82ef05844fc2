using System.Net;
using System.Text.Json.Nodes;
using CodexRuntime.Protocol;
using CodexRuntime.Testing;
using CodexRuntime.Web.Tests.Support;

namespace CodexRuntime.Web.Tests;

/// <summary>The per-tenant turn limit and the web's approval deadline, over real HTTP and the real codex.</summary>
public sealed class WebAdmissionTests
{
    private static readonly string Newest = CodexProtocolVersions.Pinned.ToString();

    [Fact]
    public async Task A_tenant_at_its_turn_limit_gets_429_while_another_tenant_still_starts_turns()
    {
        await using var host = await WebHost.StartAsync(Newest,
        [
            FakeModelResponse.ExecCommand("touch approved.txt", requestEscalation: true, callId: "call-t"),
            FakeModelResponse.Text("b's answer"),
            FakeModelResponse.Text("a's answer"),
        ], options => options.Adapter.MaxConcurrentTurnsPerTenant = 1);
        using var a = host.For("tenant-a");
        using var b = host.For("tenant-b");
        var (first, _) = await a.CreateSessionAsync("doc-1");
        var (second, _) = await a.CreateSessionAsync("doc-2");
        var (other, _) = await b.CreateSessionAsync("doc-1");
        using (var started = await a.PostJsonAsync($"/codex/sessions/{first}/turns", new JsonObject { ["text"] = "create approved.txt" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        }

        var approval = await a.ReadEventsAsync($"/codex/sessions/{first}/approvals", e => e.EventType == "approval");

        using (var refused = await a.PostJsonAsync($"/codex/sessions/{second}/turns", new JsonObject { ["text"] = "one more" }))
        {
            Assert.Equal((HttpStatusCode)429, refused.StatusCode);
            Assert.Equal("5", refused.Headers.RetryAfter?.ToString());
            var problem = await refused.ProblemAsync();
            Assert.Equal(nameof(CodexWebErrorKind.LimitExceeded), (string?)problem["title"]);
            Assert.Contains("1", (string)problem["detail"]!, StringComparison.Ordinal);
        }

        using (var others = await b.PostJsonAsync($"/codex/sessions/{other}/turns", new JsonObject { ["text"] = "b asks" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, others.StatusCode);
        }

        var bEvents = await b.ReadEventsAsync($"/codex/sessions/{other}/events", e => e.EventType == "turnCompleted");
        Assert.Equal("b's answer", (string?)bEvents[^1].Data()["text"]);

        // When A's turn ends, A may start another.
        using (var declined = await a.PostJsonAsync($"/codex/sessions/{first}/approvals/{(string)approval[^1].Data()["approvalId"]!}", new JsonObject { ["decision"] = "decline" }))
        {
            Assert.Equal(HttpStatusCode.NoContent, declined.StatusCode);
        }

        await a.ReadEventsAsync($"/codex/sessions/{first}/events", e => e.EventType == "turnCompleted");
        host.Model.Enqueue([FakeModelResponse.Text("now fine")]);
        using var again = await a.PostJsonAsync($"/codex/sessions/{second}/turns", new JsonObject { ["text"] = "one more" });
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        await a.ReadEventsAsync($"/codex/sessions/{second}/events", e => e.EventType == "turnCompleted");
    }

    [Theory]
    [MemberData(nameof(WebTheories.Versions), MemberType = typeof(WebTheories))]
    public async Task An_unanswered_approval_is_answered_by_policy_after_the_webs_approval_timeout(string version)
    {
        await using var host = await WebHost.StartAsync(version,
        [
            FakeModelResponse.ExecCommand("touch approved.txt", requestEscalation: true, callId: "call-x"),
            FakeModelResponse.Text("done"),
        ], options => options.Adapter.ApprovalTimeout = TimeSpan.FromSeconds(2));
        using var a = host.For("tenant-a");
        var (sessionId, _) = await a.CreateSessionAsync();
        var started = DateTimeOffset.UtcNow;
        using (var turn = await a.PostJsonAsync($"/codex/sessions/{sessionId}/turns", new JsonObject { ["text"] = "create approved.txt" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, turn.StatusCode);
        }

        var events = await a.ReadEventsAsync($"/codex/sessions/{sessionId}/events", e => e.EventType == "turnCompleted");
        var resolved = Assert.Single(events, e => e.EventType == "approvalResolved");
        Assert.Equal("expired", (string?)resolved.Data()["outcome"]);
        Assert.Equal("completed", (string?)events[^1].Data()["status"]);
        // Well before the core's 30 s deadline; the policy declined, so the command never ran.
        Assert.InRange(DateTimeOffset.UtcNow - started, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(25));
        Assert.False(File.Exists(Path.Combine(host.Workspace.FullName, "approved.txt")));
    }

    [Fact]
    public async Task Admission_options_out_of_range_are_refused_naming_the_setting()
    {
        var adapter = new WebAdapterOptions { Cwd = Path.GetTempPath(), MaxConcurrentTurnsPerTenant = -1, ApprovalTimeout = TimeSpan.Zero };
        var problems = string.Join("\n", adapter.Validate());
        Assert.Contains("MaxConcurrentTurnsPerTenant", problems, StringComparison.Ordinal);
        Assert.Contains("ApprovalTimeout", problems, StringComparison.Ordinal);

        await using var client = new CodexClient(new ClientConfig());
        var longer = new WebAdapterOptions { Cwd = Path.GetTempPath(), ApprovalTimeout = TimeSpan.FromMinutes(5) };
        var error = Assert.Throws<ArgumentException>(() => new WebAdapter(client, longer));
        Assert.Contains("ApprovalTimeout", error.Message, StringComparison.Ordinal);
        Assert.Contains("ServerRequests.Deadline", error.Message, StringComparison.Ordinal);
    }
}
