using System.Diagnostics;
using System.Globalization;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json.Nodes;
using CodexRuntime.Testing;
using CodexRuntime.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CodexRuntime.Benchmarks;

/// <summary>
/// One web session streaming N deltas to M concurrent SSE clients over loopback HTTP (Kestrel, the real
/// <c>MapCodexRuntime</c> endpoints, a session over the in-memory <see cref="ScriptedAppServer"/>): every client must get
/// every event once, in order. Reports delivered events per second, the lag of the last event at each client (median,
/// p99, max), and the server's memory; the baseline is the same turn to a single client, in the same process.
/// </summary>
internal static class WebFanoutBenchmark
{
    private const string Tenant = "bench";

    public static async Task<int> RunAsync(string[] args)
    {
        var deltas = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        var clients = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000;
        Console.WriteLine($"web fan-out: {deltas:N0} deltas, baseline 1 client, then {clients:N0} clients (loopback HTTP, Kestrel)");
        var baseline = await RoundAsync(deltas, 1);
        Console.WriteLine($"baseline  {baseline}");
        var fanout = await RoundAsync(deltas, clients);
        Console.WriteLine($"fan-out   {fanout}");
        Console.WriteLine($"ratio: delivered events/s {fanout.EventsPerSecond / baseline.EventsPerSecond:0.00}x the single client's; every client complete and in order: {fanout.AllInOrder && baseline.AllInOrder}");
        return fanout.AllInOrder && baseline.AllInOrder ? 0 : 1;
    }

    private static async Task<Round> RoundAsync(int deltas, int clients)
    {
        await using var server = new ScriptedAppServer { Deadline = TimeSpan.FromMinutes(5) };
        var cwd = Directory.CreateTempSubdirectory("codex-web-bench-");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<ICodexTenantResolver>(new OneTenant());
        builder.Services
            .AddCodexRuntime(config => server.Attach(config))
            .AddWeb(options =>
            {
                options.RequireAuthorization = false; // one tenant: the resolver above
                options.Adapter.Cwd = cwd.FullName;
                options.Adapter.ReplayBufferSize = deltas + 100; // a client that falls behind catches up instead of being reset
                options.Adapter.HeartbeatInterval = TimeSpan.FromMinutes(5);
                options.Adapter.Profile.Timeout = TimeSpan.FromMinutes(10);
            });
        await using var app = builder.Build();
        app.MapCodexRuntime("/codex");
        await app.StartAsync();
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue }) { BaseAddress = new Uri(app.Urls.First()), Timeout = Timeout.InfiniteTimeSpan };

        using var created = await http.PostAsync("/codex/sessions", Json("""{"artifactId":"bench"}"""));
        var session = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        var sessionId = (string)session["sessionId"]!;
        var threadId = (string)session["threadId"]!;

        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var connected = new CountdownEvent(clients);
        var allConnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var readers = Enumerable.Range(0, clients).Select(_ => Task.Run(() => ReadAsync(http, sessionId, deltas, () =>
        {
            if (connected.Signal())
            {
                allConnected.TrySetResult();
            }
        }, deadline.Token))).ToArray();
        await allConnected.Task.WaitAsync(deadline.Token);

        var starting = http.PostAsync($"/codex/sessions/{sessionId}/turns", Json("""{"text":"stream"}"""));
        var turnStart = await server.ReadRequestAsync("turn/start");
        await turnStart.RespondAsync(new JsonObject { ["turn"] = new JsonObject { ["id"] = "turn-1", ["items"] = new JsonArray(), ["status"] = "inProgress", ["error"] = null } });
        (await starting).Dispose();

        var clock = Stopwatch.StartNew();
        var text = new StringBuilder();
        await server.NotifyAsync("item/started", Item(threadId, string.Empty));
        for (var i = 0; i < deltas; i++)
        {
            var piece = $"d{i};";
            text.Append(piece);
            await server.NotifyAsync("item/agentMessage/delta", new JsonObject { ["threadId"] = threadId, ["turnId"] = "turn-1", ["itemId"] = "msg-1", ["delta"] = piece });
        }

        await server.NotifyAsync("item/completed", Item(threadId, text.ToString()));
        await server.NotifyAsync("turn/completed", new JsonObject { ["threadId"] = threadId, ["turn"] = new JsonObject { ["id"] = "turn-1", ["items"] = new JsonArray(), ["status"] = "completed", ["error"] = null } });
        var sentLast = Stopwatch.GetTimestamp();

        var results = await Task.WhenAll(readers);
        var done = clock.Elapsed;
        var heapWithLog = GC.GetTotalMemory(forceFullCollection: true); // the clients are gone; what is left is the server's (the session's log)
        var lags = results.Select(r => Stopwatch.GetElapsedTime(sentLast, r.LastAt).TotalMilliseconds).Order().ToArray();
        var events = results.Sum(r => (long)r.Events);
        await app.StopAsync();
        cwd.Delete(recursive: true);
        return new Round(clients, results.All(r => r.InOrder && r.Deltas == deltas), events, events / done.TotalSeconds,
            lags[lags.Length / 2], lags[Math.Min(lags.Length - 1, (int)Math.Ceiling(lags.Length * 0.99) - 1)], lags[^1],
            heapWithLog - heapBefore, Process.GetCurrentProcess().PeakWorkingSet64);
    }

    /// <summary>One client: reads the session's events until turnCompleted, checking ids and delta order; notes when the last came.</summary>
    private static async Task<ClientResult> ReadAsync(HttpClient http, string sessionId, int deltas, Action connected, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"/codex/sessions/{sessionId}/events", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        connected();
        long lastId = 0;
        var next = 0;
        var count = 0;
        var inOrder = true;
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(cancellationToken))
        {
            if (item.EventType == "heartbeat")
            {
                continue;
            }

            count++;
            var id = long.Parse(item.EventId!, CultureInfo.InvariantCulture);
            inOrder &= id == lastId + 1;
            lastId = id;
            if (item.EventType == "delta")
            {
                // {"turnId":"turn-1","itemId":"msg-1","text":"d123;"}: the piece's number must be the next one.
                var start = item.Data.IndexOf("\"text\":\"d", StringComparison.Ordinal) + 9;
                inOrder &= int.Parse(item.Data.AsSpan(start, item.Data.IndexOf(';', start) - start), CultureInfo.InvariantCulture) == next;
                next++;
            }
            else if (item.EventType == "turnCompleted")
            {
                return new ClientResult(count, next, inOrder, Stopwatch.GetTimestamp());
            }
        }

        Console.Error.WriteLine($"a client's stream ended after {count} events (last id {lastId}) without turnCompleted");
        return new ClientResult(count, next, false, long.MaxValue);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static JsonObject Item(string threadId, string text) =>
        new() { ["threadId"] = threadId, ["turnId"] = "turn-1", ["item"] = new JsonObject { ["type"] = "agentMessage", ["id"] = "msg-1", ["text"] = text } };

    private sealed class OneTenant : ICodexTenantResolver
    {
        public string? Resolve(HttpContext context) => Tenant;
    }

    private sealed record ClientResult(int Events, int Deltas, bool InOrder, long LastAt);

    private sealed record Round(int Clients, bool AllInOrder, long Events, double EventsPerSecond, double LagMedianMs, double LagP99Ms, double LagMaxMs, long ServerHeapBytes, long PeakWorkingSet)
    {
        public override string ToString() =>
            $"{Clients,5:N0} client(s): {Events:N0} events delivered, {EventsPerSecond:N0} events/s; last-event lag median {LagMedianMs:N0} ms, p99 {LagP99Ms:N0} ms, max {LagMaxMs:N0} ms; " +
            $"server heap held by the session {ServerHeapBytes / 1048576.0:N1} MiB; process peak working set {PeakWorkingSet / 1048576.0:N0} MiB; complete and in order: {AllInOrder}";
    }
}
