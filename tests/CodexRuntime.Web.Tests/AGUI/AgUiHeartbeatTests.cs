using System.Net.ServerSentEvents;
using System.Text.Json.Nodes;
using CodexRuntime.Testing;
using CodexRuntime.Web.Tests.Support;

namespace CodexRuntime.Web.Tests.AGUI;

/// <summary>
/// A quiet turn keeps its AG-UI run open: after each idle <see cref="WebAdapterOptions.HeartbeatInterval"/> the run
/// sends a <c>CUSTOM</c> <c>codex.heartbeat</c> event (as the REST stream sends its heartbeat), and the turn's events
/// follow when they come. Driven through the in-memory <see cref="ScriptedAppServer"/>, which decides when the turn
/// goes on, so the test waits for the heartbeat itself rather than for time to pass.
/// </summary>
public sealed class AgUiHeartbeatTests : IAsyncLifetime
{
    private ScriptedAgUiHost _host = null!;

    public async Task InitializeAsync() => _host = await ScriptedAgUiHost.StartAsync(options => options.Adapter.HeartbeatInterval = TimeSpan.FromMilliseconds(50));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_quiet_turn_sends_heartbeats_and_then_its_events()
    {
        var (threadId, opened) = await _host.StartRunAsync("run-1");
        using var run = opened;
        using var deadline = new CancellationTokenSource(WebHost.Deadline);
        await using var stream = await run.Content.ReadAsStreamAsync(deadline.Token);
        await using var events = SseParser.Create(stream).EnumerateAsync(deadline.Token).GetAsyncEnumerator(deadline.Token);
        var received = new List<JsonObject>();

        // The turn says nothing: the run's stream still gets heartbeats.
        while (received.Count(IsHeartbeat) < 2 && await events.MoveNextAsync())
        {
            received.Add(JsonNode.Parse(events.Current.Data)!.AsObject());
        }

        await _host.Server.NotifyAsync("item/agentMessage/delta", new JsonObject { ["threadId"] = threadId, ["turnId"] = "turn-1", ["itemId"] = "msg-1", ["delta"] = "done" });
        await _host.CompleteTurnAsync(threadId);
        while (await events.MoveNextAsync())
        {
            received.Add(JsonNode.Parse(events.Current.Data)!.AsObject());
        }

        AgUiHttp.AssertWellFormed(received);
        Assert.True(received.Count(IsHeartbeat) >= 2, string.Join('\n', received.Select(e => e.ToJsonString())));
        Assert.Equal(["RUN_STARTED", "TEXT_MESSAGE_START", "TEXT_MESSAGE_CONTENT", "TEXT_MESSAGE_END", "RUN_FINISHED"], received.Where(e => !IsHeartbeat(e)).Select(e => e.Type()));
        Assert.Equal("success", (string)received[^1]["outcome"]!["type"]!);
    }

    private static bool IsHeartbeat(JsonObject e) => e.Type() == "CUSTOM" && (string?)e["name"] == "codex.heartbeat";
}
