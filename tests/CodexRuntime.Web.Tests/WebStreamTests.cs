using System.Globalization;
using System.Text.Json.Nodes;
using CodexRuntime.Protocol;
using CodexRuntime.Testing;
using CodexRuntime.Web.Tests.Support;

namespace CodexRuntime.Web.Tests;

/// <summary>How an event stream starts and ends over real HTTP and the real codex: resets that tell the turn's outcome, a last <c>end</c> event.</summary>
public sealed class WebStreamTests
{
    private static readonly string Newest = CodexProtocolVersions.Pinned.ToString();

    [Fact]
    public async Task A_stream_opened_without_Last_Event_ID_after_the_first_event_is_gone_starts_with_a_reset_that_tells_the_turns_outcome()
    {
        var chunks = Enumerable.Range(1, 30).Select(i => $"w{i} ").ToArray();
        await using var host = await WebHost.StartAsync(Newest, [FakeModelResponse.StreamedText(chunks)], options => options.Adapter.ReplayBufferSize = 8);
        using var a = host.For("tenant-a");
        var (sessionId, _) = await a.CreateSessionAsync();
        using var started = await a.PostJsonAsync($"/codex/sessions/{sessionId}/turns", new JsonObject { ["text"] = "count" });
        var turnId = (string)JsonNode.Parse(await started.Content.ReadAsStringAsync())!["turnId"]!;
        // The turn's end: its turnCompleted, or (for a reader that fell more than 8 events behind) a reset saying so.
        await a.ReadEventsAsync($"/codex/sessions/{sessionId}/events", e => e.EventType == "turnCompleted" || (e.EventType == "reset" && (string?)e.Data()["turn"]?["status"] == "completed"));

        // A fresh page (no Last-Event-ID, no ?lastEventId=) asked for everything from event 1, which is no longer kept.
        var fresh = await a.ReadEventsAsync($"/codex/sessions/{sessionId}/events", _ => true);

        var reset = Assert.Single(fresh);
        Assert.Equal("reset", reset.EventType);
        var state = JsonNode.Parse(await a.GetStringAsync($"/codex/sessions/{sessionId}"))!;
        var lastId = (long)state["lastEventId"]!;
        Assert.Equal(lastId.ToString(CultureInfo.InvariantCulture), reset.EventId);
        Assert.Equal(lastId, (long)reset.Data()["lastEventId"]!);
        Assert.Equal((turnId, "completed"), ((string)reset.Data()["turn"]!["turnId"]!, (string)reset.Data()["turn"]!["status"]!));
    }

    [Fact]
    public async Task A_stream_whose_session_closes_ends_with_an_end_event_saying_so()
    {
        await using var host = await WebHost.StartAsync(Newest, [FakeModelResponse.Text("done")]);
        using var a = host.For("tenant-a");
        var (sessionId, _) = await a.CreateSessionAsync();
        using var started = await a.PostJsonAsync($"/codex/sessions/{sessionId}/turns", new JsonObject { ["text"] = "hello" });
        var turn = await a.ReadEventsAsync($"/codex/sessions/{sessionId}/events", e => e.EventType == "turnCompleted");

        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var open = a.ReadEventsAsync($"/codex/sessions/{sessionId}/events", _ =>
        {
            connected.TrySetResult();
            return false; // read until the server ends the stream
        }, lastEventId: turn[^1].EventId);
        using (await a.DeleteAsync($"/codex/sessions/{sessionId}"))
        {
        }

        var read = await open.WaitAsync(WebHost.Deadline);

        Assert.True(connected.Task.IsCompleted);
        Assert.Equal(["sessionClosed", "end"], read.Select(e => e.EventType));
        Assert.Equal("sessionClosed", (string)read[^1].Data()["reason"]!);
    }
}
