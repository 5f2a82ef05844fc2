using System.Net.ServerSentEvents;
using System.Text.Json.Nodes;
using CodexRuntime.Testing;
using CodexRuntime.Web.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace CodexRuntime.Web.Tests.AGUI;

/// <summary>
/// A quiet turn keeps its AG-UI run open: after each idle <see cref="WebAdapterOptions.HeartbeatInterval"/> the run
/// sends a <c>CUSTOM</c> <c>codex.heartbeat</c> event (as the REST stream sends its heartbeat), and the turn's events
/// follow when they come. Driven through the in-memory <see cref="ScriptedAppServer"/>, which decides when the turn
/// goes on, so the test waits for the heartbeat itself rather than for time to pass.
/// </summary>
public sealed class AgUiHeartbeatTests : IAsyncLifetime
{
    private readonly ScriptedAppServer _server = new();
    private readonly DirectoryInfo _cwd = Directory.CreateTempSubdirectory("codex-agui-heartbeat-");
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        HeaderTenantAuthentication.AddTo(builder.Services);
        builder.Services.AddCodexRuntime(config => _server.Attach(config.Runtime)).AddWeb(options =>
        {
            options.Adapter.Cwd = _cwd.FullName;
            options.Adapter.HeartbeatInterval = TimeSpan.FromMilliseconds(50);
        });
        _app = builder.Build();
        _app.UseAuthentication();
        _app.UseAuthorization();
        _app.MapCodexAGUI("/agui");
        await _app.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_app.Urls.First()), Timeout = WebHost.Deadline };
        _http.DefaultRequestHeaders.Add("X-Tenant", "tenant-a");
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _server.DisposeAsync();
        _cwd.Delete(recursive: true);
    }

    [Fact]
    public async Task A_quiet_turn_sends_heartbeats_and_then_its_events()
    {
        var opening = _http.OpenRunAsync(AgUiHttp.Input("thread-1", "run-1", [AgUiHttp.User("m1", "go")]));
        var start = await _server.ReadRequestAsync("turn/start");
        await start.RespondAsync(new JsonObject { ["turn"] = new JsonObject { ["id"] = "turn-1", ["items"] = new JsonArray(), ["status"] = "inProgress", ["error"] = null } });
        var threadId = (string)start.Params!["threadId"]!;
        using var run = await opening;
        using var deadline = new CancellationTokenSource(WebHost.Deadline);
        await using var stream = await run.Content.ReadAsStreamAsync(deadline.Token);
        await using var events = SseParser.Create(stream).EnumerateAsync(deadline.Token).GetAsyncEnumerator(deadline.Token);
        var received = new List<JsonObject>();

        // The turn says nothing: the run's stream still gets heartbeats.
        while (received.Count(IsHeartbeat) < 2 && await events.MoveNextAsync())
        {
            received.Add(JsonNode.Parse(events.Current.Data)!.AsObject());
        }

        await _server.NotifyAsync("item/agentMessage/delta", new JsonObject { ["threadId"] = threadId, ["turnId"] = "turn-1", ["itemId"] = "msg-1", ["delta"] = "done" });
        await _server.NotifyAsync("turn/completed", new JsonObject { ["threadId"] = threadId, ["turn"] = new JsonObject { ["id"] = "turn-1", ["items"] = new JsonArray(), ["status"] = "completed", ["error"] = null } });
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
