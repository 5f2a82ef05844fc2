using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using CodexRuntime.Web.Tests.Support;
using WebChat;

namespace CodexRuntime.Web.Tests;

/// <summary>
/// The WebChat sample through <c>WebApplicationFactory</c>, with the real codex binary (floor and newest) and the
/// sample's own offline script: create a session, start a turn, answer its command approval from the approvals
/// stream, and read the session's events in order to the completion. The command's file exists only when approved.
/// </summary>
public sealed class WebChatFactoryTests
{
    [Theory]
    [MemberData(nameof(WebTheories.ApprovalCases), MemberType = typeof(WebTheories))]
    public async Task A_turn_asks_approval_on_the_approvals_stream_and_streams_its_events_in_order_to_completion(string version, string answer)
    {
        await using var factory = await WebChatFactory.CreateAsync(version);
        using var http = factory.For("tenant-a");
        var (sessionId, threadId) = await http.CreateSessionAsync("webchat");

        using var started = await http.PostJsonAsync($"/codex/sessions/{sessionId}/turns", new JsonObject { ["text"] = "Create the file, please." });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var turnId = (string)JsonNode.Parse(await started.Content.ReadAsStringAsync())!["turnId"]!;

        var approval = (await http.ReadEventsAsync($"/codex/sessions/{sessionId}/approvals", e => e.EventType == "approval"))[^1].Data();
        Assert.Equal(("command", turnId), ((string)approval["kind"]!, (string)approval["turnId"]!));
        Assert.Contains($"touch {ChatBackend.ApprovedFile}", (string)approval["command"]!, StringComparison.Ordinal);
        // What the chat page shows beside the command: the script's justification and the folder it runs in.
        Assert.Equal((ChatScript.Justification, factory.Backend.Workspace), ((string?)approval["reason"], (string?)approval["cwd"]));
        using var answered = await http.PostJsonAsync($"/codex/sessions/{sessionId}/approvals/{approval["approvalId"]}", new JsonObject { ["decision"] = answer });
        Assert.Equal(HttpStatusCode.NoContent, answered.StatusCode);

        var events = await http.ReadEventsAsync($"/codex/sessions/{sessionId}/events", e => e.EventType == "turnCompleted");
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => i.ToString(CultureInfo.InvariantCulture)), events.Select(e => e.EventId));
        var kinds = events.Select(e => e.EventType).ToList();
        Assert.Equal("turnStarted", kinds[0]);
        Assert.Equal("turnCompleted", kinds[^1]);
        Assert.True(kinds.IndexOf("approval") < kinds.IndexOf("approvalResolved"), string.Join(",", kinds));
        Assert.True(kinds.IndexOf("approvalResolved") < kinds.IndexOf("delta"), string.Join(",", kinds));
        var command = events.Where(e => e.EventType is "itemStarted" or "itemCompleted").Select(e => e.Data()["item"]!).First(i => (string?)i["type"] == "commandExecution");
        Assert.Contains(ChatBackend.ApprovedFile, (string)command["command"]!, StringComparison.Ordinal);
        Assert.Equal(answer, (string?)events.Single(e => e.EventType == "approvalResolved").Data()["outcome"]);
        Assert.Equal(ChatScript.FirstAnswer, string.Concat(events.Where(e => e.EventType == "delta").Select(e => (string)e.Data()["text"]!)));
        var completed = events[^1].Data();
        Assert.Equal(("completed", ChatScript.FirstAnswer), ((string)completed["status"]!, (string)completed["text"]!));

        Assert.Equal(answer == "accept", File.Exists(Path.Combine(factory.Backend.Workspace, ChatBackend.ApprovedFile)));
        var state = JsonNode.Parse(await http.GetStringAsync($"/codex/sessions/{sessionId}"))!;
        Assert.Equal(threadId, (string)state["threadId"]!);
        var item = state["turns"]![0]!["items"]!.AsArray().Single()!;
        Assert.Equal("commandExecution", (string)item["type"]!);
        Assert.Equal(answer == "accept" ? "completed" : "declined", (string?)item["status"]);
    }
}
