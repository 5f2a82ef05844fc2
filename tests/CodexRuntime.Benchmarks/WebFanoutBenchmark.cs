using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CodexRuntime.Testing;
using CodexRuntime.Web;
using CodexRuntime.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CodexRuntime.Benchmarks;

/// <summary>
/// One web session streaming N deltas to M SSE clients in another process (<see cref="WebFanoutClients"/>), through the
/// real <c>MapCodexRuntime</c> endpoints on Kestrel (loopback) over the in-memory <see cref="ScriptedAppServer"/>, with
/// the default options. Measured in the host: how fast the session took codex's deltas into its log (from the first
/// delta's write to the last delta in the log, seen by an in-process subscriber), with 1 client and then with M, in the same run (the ratio must be ≥ 0.8);
/// the host's memory before, during and after (all clients gone, a full GC). Measured by the clients: every event in
/// order (or a reset, a state reload and the rest in order), and each delta's lag from the scripted server's write.
/// </summary>
internal static class WebFanoutBenchmark
{
    private const string Tenant = "bench";

    public static async Task<int> RunAsync(string[] args)
    {
        var deltas = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
        var clients = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000;
        var inline = !(args.Length > 2 && args[2] == "queued");
        Console.WriteLine($"web fan-out: {deltas:N0} deltas to 1 client, then to {clients:N0} clients in another process (loopback HTTP, Kestrel, default web options; Kestrel socket scheduling {(inline ? "inline" : "queued (default)")})");

        await using var server = new ScriptedAppServer { Deadline = TimeSpan.FromMinutes(5) };
        var cwd = Directory.CreateTempSubdirectory("codex-web-bench-");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxConcurrentConnections = null);
        if (inline)
        {
            // What docs/web.md recommends for a host with many SSE clients: Kestrel sends on the thread that flushed
            // (the log's one wake-up item) instead of queueing a send per connection on the thread pool, ahead of the
            // turn's pump. Without it ("queued" on the command line) 1,000 sends wait on the pool at each wake-up.
            builder.WebHost.UseSockets(o => o.UnsafePreferInlineScheduling = true);
        }
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<ICodexTenantResolver>(new OneTenant());
        builder.Services
            .AddCodexRuntime(config => server.Attach(config))
            .AddWeb(options =>
            {
                options.RequireAuthorization = false; // one tenant: the resolver above
                options.Adapter.Cwd = cwd.FullName;
                options.Adapter.HeartbeatInterval = TimeSpan.FromMinutes(5);
                options.Adapter.Profile.Timeout = TimeSpan.FromMinutes(10);
            });
        await using var app = builder.Build();
        app.MapCodexRuntime("/codex");
        await app.StartAsync();
        var url = app.Urls.First();
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        using var sse = new ClientCount();

        var rssBefore = Settled(out var heapBefore);
        var one = await RoundAsync(server, app.Services.GetRequiredService<WebAdapter>(), http, sse, url, deltas, 1, 1);
        Console.WriteLine($"1 client:  {one}");
        using var sampler = new PeakSampler();
        var many = await RoundAsync(server, app.Services.GetRequiredService<WebAdapter>(), http, sse, url, deltas, clients, 2);
        Console.WriteLine($"{clients:N0} clients: {many}");
        var rssDuring = sampler.Peak;
        Console.WriteLine($"host thread pool during the {clients:N0}-client round: at most {sampler.PeakQueue:N0} work items waiting, {sampler.PeakThreads} threads");
        await sse.ZeroAsync().WaitAsync(TimeSpan.FromMinutes(1));
        var rssAfter = Settled(out var heapAfter);
        var pinnedAfter = GC.GetGCMemoryInfo().GenerationInfo[4].SizeAfterBytes;

        // Kestrel's memory pool gives idle blocks back over time (.NET 10), not at once: measure again a while later.
        await Task.Delay(TimeSpan.FromSeconds(30));
        var rssLater = Settled(out var heapLater);
        var pinnedLater = GC.GetGCMemoryInfo().GenerationInfo[4].SizeAfterBytes;
        await app.StopAsync();
        cwd.Delete(recursive: true);

        var ratio = many.DeltasPerSecond / one.DeltasPerSecond;
        var ok = ratio >= 0.8 && one.Clients.Failed == 0 && many.Clients.Failed == 0;
        Console.WriteLine();
        Console.WriteLine("| | 1 client | " + clients.ToString("N0", CultureInfo.InvariantCulture) + " clients |");
        Console.WriteLine("|---|---|---|");
        Console.WriteLine($"| codex→host deltas/s (first to last delta in the log) | {one.DeltasPerSecond:N0} | {many.DeltasPerSecond:N0} ({ratio:0.00}x) |");
        Console.WriteLine($"| clients complete, in order, no reset | {one.Clients.Complete:N0} | {many.Clients.Complete:N0} |");
        Console.WriteLine($"| clients reset, then complete after a state reload | {one.Clients.ResetThenComplete:N0} | {many.Clients.ResetThenComplete:N0} |");
        Console.WriteLine($"| clients failed (gap, repeat, disorder or no end) | {one.Clients.Failed:N0} | {many.Clients.Failed:N0} |");
        Console.WriteLine($"| events delivered, events/s | {one.Clients.Events:N0}, {one.EventsPerSecond:N0}/s | {many.Clients.Events:N0}, {many.EventsPerSecond:N0}/s |");
        Console.WriteLine($"| per-delta lag (scripted write → client read) median / p99 / max | {one.Clients.LagMedianMs:N0} / {one.Clients.LagP99Ms:N0} / {one.Clients.LagMaxMs:N0} ms | {many.Clients.LagMedianMs:N0} / {many.Clients.LagP99Ms:N0} / {many.Clients.LagMaxMs:N0} ms |");
        Console.WriteLine($"| host RSS before / peak during / after (clients gone, full GC) | {rssBefore / 1048576.0:N0} MiB | {rssDuring / 1048576.0:N0} / {rssAfter / 1048576.0:N0} MiB |");
        Console.WriteLine($"| host managed heap before / after (of it pinned: Kestrel's and the sockets' buffer pools) | {heapBefore / 1048576.0:N1} MiB | {heapAfter / 1048576.0:N1} MiB ({pinnedAfter / 1048576.0:N1} MiB) |");
        Console.WriteLine($"| the same 30 s later: RSS, managed heap (pinned) | | {rssLater / 1048576.0:N0} MiB, {heapLater / 1048576.0:N1} MiB ({pinnedLater / 1048576.0:N1} MiB) |");
        Console.WriteLine();
        Console.WriteLine(ok ? "PASS: ratio ≥ 0.8 and every client complete" : "FAIL: ratio < 0.8 or a client failed");
        return ok ? 0 : 1;
    }

    private static async Task<Round> RoundAsync(ScriptedAppServer server, WebAdapter adapter, HttpClient http, ClientCount sse, string url, int deltas, int clients, int turn)
    {
        using var created = await http.PostAsync("/codex/sessions", Json("""{"artifactId":"bench"}"""));
        var session = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        var sessionId = (string)session["sessionId"]!;
        var threadId = (string)session["threadId"]!;
        var turnId = $"turn-{turn}";

        using var swarm = WebFanoutClients.Start(url, sessionId, clients, deltas);
        await swarm.ConnectedAsync().WaitAsync(TimeSpan.FromMinutes(2));

        // The host's own view: when the log got the first and the last delta (an in-process subscriber, woken like the clients).
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var intake = Task.Run(() => IntakeAsync(adapter, sessionId, stop.Token));

        var starting = http.PostAsync($"/codex/sessions/{sessionId}/turns", Json("""{"text":"stream"}"""));
        var turnStart = await server.ReadRequestAsync("turn/start");
        await turnStart.RespondAsync(new JsonObject { ["turn"] = new JsonObject { ["id"] = turnId, ["items"] = new JsonArray(), ["status"] = "inProgress", ["error"] = null } });
        (await starting).Dispose();

        // The scripted codex writes from a thread of its own, as the real one writes from its own process: on the
        // host's thread pool it would queue behind the clients' writes, and the benchmark would measure itself.
        var gen0 = GC.CollectionCount(0);
        var gen2 = GC.CollectionCount(2);
        var pause = GC.GetTotalPauseDuration();
        var clock = Stopwatch.StartNew();
        var firstWrite = Stopwatch.GetTimestamp();
        var producer = new Thread(() =>
        {
            var text = new StringBuilder();
            server.NotifyAsync("item/started", Item(threadId, turnId, string.Empty)).GetAwaiter().GetResult();
            for (var i = 0; i < deltas; i++)
            {
                // The write's time travels in the delta: the clients (another process, the same monotonic clock) measure its lag.
                var piece = string.Create(CultureInfo.InvariantCulture, $"d{i}@{Stopwatch.GetTimestamp()};");
                text.Append(piece);
                server.NotifyAsync("item/agentMessage/delta", new JsonObject { ["threadId"] = threadId, ["turnId"] = turnId, ["itemId"] = "msg-1", ["delta"] = piece }).GetAwaiter().GetResult();
            }

            server.NotifyAsync("item/completed", Item(threadId, turnId, text.ToString())).GetAwaiter().GetResult();
            server.NotifyAsync("turn/completed", new JsonObject { ["threadId"] = threadId, ["turn"] = new JsonObject { ["id"] = turnId, ["items"] = new JsonArray(), ["status"] = "completed", ["error"] = null } }).GetAwaiter().GetResult();
        }) { IsBackground = true, Name = "scripted codex" };
        producer.Start();

        var (_, last, seen) = await intake;
        Console.WriteLine($"  during the turn ({Stopwatch.GetElapsedTime(firstWrite, last).TotalMilliseconds:N0} ms): {GC.CollectionCount(0) - gen0} gen-0 and {GC.CollectionCount(2) - gen2} gen-2 collections, {(GC.GetTotalPauseDuration() - pause).TotalMilliseconds:N0} ms paused");
        var result = await swarm.ResultAsync().WaitAsync(TimeSpan.FromMinutes(10));
        var done = clock.Elapsed;
        if (seen != deltas)
        {
            Console.Error.WriteLine($"the in-process subscriber saw {seen} of {deltas} deltas (reset)");
        }

        // From the first delta's write to the last delta in the log (a reader of the log sees it at most one wake-up
        // later): a first-seen time would be late by the same wake-up, which on a short run is a large share.
        return new Round(result, deltas / Stopwatch.GetElapsedTime(firstWrite, last).TotalSeconds, result.Events / done.TotalSeconds);
    }

    /// <summary>When the log had its first and its last delta, and how many this subscriber saw.</summary>
    private static async Task<(long First, long Last, int Seen)> IntakeAsync(WebAdapter adapter, string sessionId, CancellationToken cancellationToken)
    {
        long first = 0, last = 0;
        var seen = 0;
        await foreach (var e in adapter.SubscribeEventsAsync(Tenant, sessionId, 0, cancellationToken))
        {
            if (e.Kind == "delta")
            {
                last = Stopwatch.GetTimestamp();
                first = first == 0 ? last : first;
                seen++;
            }
            else if (e.Kind is "turnCompleted" || (e.Kind == "reset" && e.Data.Contains("\"completed\"", StringComparison.Ordinal)))
            {
                break;
            }
        }

        return (first, last, seen);
    }

    /// <summary>The process's resident set after a full, compacting collection; <paramref name="heap"/> the managed heap then.</summary>
    private static long Settled(out long heap)
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        heap = GC.GetTotalMemory(forceFullCollection: false);
        using var self = Process.GetCurrentProcess();
        return self.WorkingSet64;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static JsonObject Item(string threadId, string turnId, string text) =>
        new() { ["threadId"] = threadId, ["turnId"] = turnId, ["item"] = new JsonObject { ["type"] = "agentMessage", ["id"] = "msg-1", ["text"] = text } };

    private sealed class OneTenant : ICodexTenantResolver
    {
        public string? Resolve(HttpContext context) => Tenant;
    }

    /// <summary>The host's connected SSE clients, from the adapter's meter (<c>codex.web.sse.clients</c>).</summary>
    private sealed class ClientCount : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly Lock _gate = new();
        private long _count;
        private TaskCompletionSource _zero = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ClientCount()
        {
            _zero.TrySetResult();
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "CodexRuntime.Web" && instrument.Name == "codex.web.sse.clients")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, change, _, _) =>
            {
                lock (_gate)
                {
                    _count += change;
                    if (_count == 0)
                    {
                        _zero.TrySetResult();
                    }
                    else if (_zero.Task.IsCompleted)
                    {
                        _zero = new(TaskCreationOptions.RunContinuationsAsynchronously);
                    }
                }
            });
            _listener.Start();
        }

        /// <summary>Completes when no SSE client is connected to the host.</summary>
        public Task ZeroAsync()
        {
            lock (_gate)
            {
                return _zero.Task;
            }
        }

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>The host's largest resident set while it runs, sampled every 100 ms on a thread of its own.</summary>
    private sealed class PeakSampler : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Thread _thread;
        private long _peak;

        public PeakSampler()
        {
            _thread = new Thread(() =>
            {
                using var self = Process.GetCurrentProcess();
                while (!_stop.Token.WaitHandle.WaitOne(100))
                {
                    self.Refresh();
                    _peak = Math.Max(_peak, self.WorkingSet64);
                    PeakQueue = Math.Max(PeakQueue, ThreadPool.PendingWorkItemCount);
                    PeakThreads = Math.Max(PeakThreads, ThreadPool.ThreadCount);
                }
            }) { IsBackground = true };
            _thread.Start();
        }

        /// <summary>The most work items waiting on the thread pool at a sample.</summary>
        public long PeakQueue { get; private set; }

        /// <summary>The most thread-pool threads at a sample.</summary>
        public int PeakThreads { get; private set; }

        public long Peak
        {
            get
            {
                _stop.Cancel();
                _thread.Join();
                return _peak;
            }
        }

        public void Dispose() => _stop.Dispose();
    }

    private sealed record Round(SwarmResult Clients, double DeltasPerSecond, double EventsPerSecond)
    {
        public override string ToString() =>
            $"{DeltasPerSecond:N0} deltas/s into the log; {Clients.Complete} complete, {Clients.ResetThenComplete} reset then complete, {Clients.Failed} failed; " +
            $"{EventsPerSecond:N0} events/s delivered; lag median {Clients.LagMedianMs:N0} ms, p99 {Clients.LagP99Ms:N0} ms, max {Clients.LagMaxMs:N0} ms";
    }
}
