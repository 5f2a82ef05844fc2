using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CodexRuntime.Testing;
using CodexRuntime.Web;
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
        var inline = !args.Skip(2).Contains("queued");
        // codex's pace: deltas per second the scripted codex writes (0: as fast as it can). The default is above what
        // the real codex reached with one client when the fan-out was measured from outside (15,269/s).
        var rate = args.Skip(2).Where(a => a.StartsWith("rate=", StringComparison.Ordinal)).Select(a => int.Parse(a["rate=".Length..], CultureInfo.InvariantCulture)).LastOrDefault(20_000);
        var rounds = args.Skip(2).Where(a => a.StartsWith("rounds=", StringComparison.Ordinal)).Select(a => int.Parse(a["rounds=".Length..], CultureInfo.InvariantCulture)).LastOrDefault(3);
        Console.WriteLine($"web fan-out: {deltas:N0} deltas to 1 client, then to {clients:N0} clients in another process (loopback HTTP, Kestrel, default web options; Kestrel socket scheduling {(inline ? "inline" : "queued (default)")}; {(System.Runtime.GCSettings.IsServerGC ? "server GC, as an ASP.NET Core app" : "workstation GC (an ASP.NET Core app uses server GC: run with DOTNET_gcServer=1)")}; {rounds} rounds; codex writes {(rate > 0 ? $"{rate:N0} deltas/s" : "as fast as it can")})");

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
                options.Adapter.MaxSessionsPerTenant = 100; // a session per round
                options.Adapter.Profile.Timeout = TimeSpan.FromMinutes(10);
            });
        await using var app = builder.Build();
        app.MapCodexRuntime("/codex");
        await app.StartAsync();
        var url = app.Urls.First();
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        using var sse = new ClientCount();

        var rssBefore = Settled(out var heapBefore);
        // A 20,000-delta turn takes a fifth of a second: one pause of the machine moves a single ratio a lot, so the
        // pair (1 client, then N clients) runs several times and the median pair is reported, with every ratio.
        // Warm-up, not counted: the first turns run the host's code at tier 0 (a later 1-client round ran three times
        // as fast as the first), so an unwarmed baseline would flatter or punish whichever round came first.
        Console.WriteLine($"warm-up, 1 client: {await RoundAsync(server, app.Services.GetRequiredService<WebAdapter>(), http, sse, url, deltas, 1, 1001, rate)}");
        Console.WriteLine($"warm-up, {Math.Min(clients, 100)} clients: {await RoundAsync(server, app.Services.GetRequiredService<WebAdapter>(), http, sse, url, deltas, Math.Min(clients, 100), 1002, rate)}");
        Console.WriteLine($"warm-up, 1 client: {await RoundAsync(server, app.Services.GetRequiredService<WebAdapter>(), http, sse, url, deltas, 1, 1003, rate)}");

        using var sampler = new PeakSampler();
        var pairs = new List<(Round One, Round Many, double Ratio)>();
        for (var round = 0; round < rounds; round++)
        {
            var single = await RoundAsync(server, app.Services.GetRequiredService<WebAdapter>(), http, sse, url, deltas, 1, 2 * round + 1, rate);
            Console.WriteLine($"round {round + 1}, 1 client:  {single}");
            var swarm = await RoundAsync(server, app.Services.GetRequiredService<WebAdapter>(), http, sse, url, deltas, clients, 2 * round + 2, rate);
            Console.WriteLine($"round {round + 1}, {clients:N0} clients: {swarm}");
            pairs.Add((single, swarm, swarm.DeltasPerSecond / single.DeltasPerSecond));
        }

        var median = pairs.OrderBy(p => p.Ratio).ElementAt(pairs.Count / 2);
        var (one, many, _) = median;
        Console.WriteLine($"ratios by round: {string.Join(", ", pairs.Select(p => p.Ratio.ToString("0.00", CultureInfo.InvariantCulture) + "x"))}; the table shows the median round");
        var rssDuring = sampler.Peak;
        Console.WriteLine($"host thread pool during the rounds: at most {sampler.PeakQueue:N0} work items waiting, {sampler.PeakThreads} threads");
        await sse.ZeroAsync().WaitAsync(TimeSpan.FromMinutes(1));
        var rssAfter = Settled(out var heapAfter);
        var pinnedAfter = GC.GetGCMemoryInfo().GenerationInfo[4].SizeAfterBytes;

        // Kestrel's memory pool gives idle blocks back over time (.NET 10), not at once: measure again a while later.
        await Task.Delay(TimeSpan.FromSeconds(30));
        var rssLater = Settled(out var heapLater);
        var pinnedLater = GC.GetGCMemoryInfo().GenerationInfo[4].SizeAfterBytes;
        await app.StopAsync();
        cwd.Delete(recursive: true);

        var ratio = median.Ratio;
        var ok = ratio >= 0.8 && pairs.All(p => p.One.Clients.Failed == 0 && p.Many.Clients.Failed == 0);
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
        Console.WriteLine(ok ? "PASS: median ratio ≥ 0.8 and every client of every round complete" : "FAIL: median ratio < 0.8 or a client failed");
        return ok ? 0 : 1;
    }

    private static async Task<Round> RoundAsync(ScriptedAppServer server, WebAdapter adapter, HttpClient http, ClientCount sse, string url, int deltas, int clients, int turn, int rate)
    {
        using var created = await http.PostAsync("/codex/sessions", Json("""{"artifactId":"bench"}"""));
        var session = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        var sessionId = (string)session["sessionId"]!;
        var threadId = (string)session["threadId"]!;
        var turnId = $"turn-{turn}";

        using var swarm = WebFanoutClients.Start(url, sessionId, clients, deltas);
        await swarm.ConnectedAsync().WaitAsync(TimeSpan.FromMinutes(2));

        // The host's own view: when the session's log recorded the first and the last delta, timed where it happens
        // (the codex.web.events counter is added on the pump's thread), so it is the rate at which the host takes
        // codex's output, not when some reader of the log got round to it.
        using var intake = new DeltaIntake(deltas);

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
            var paced = Stopwatch.GetTimestamp();
            for (var i = 0; i < deltas; i++)
            {
                // At codex's pace: the deltas due by now in one burst, then a millisecond's rest (never a spin).
                while (rate > 0 && i >= Stopwatch.GetElapsedTime(paced).TotalSeconds * rate)
                {
                    Thread.Sleep(1);
                }

                // The write's time travels in the delta: the clients (another process, the same monotonic clock) measure its lag.
                var piece = string.Create(CultureInfo.InvariantCulture, $"d{i}@{Stopwatch.GetTimestamp()};");
                text.Append(piece);
                server.NotifyAsync("item/agentMessage/delta", new JsonObject { ["threadId"] = threadId, ["turnId"] = turnId, ["itemId"] = "msg-1", ["delta"] = piece }).GetAwaiter().GetResult();
            }

            server.NotifyAsync("item/completed", Item(threadId, turnId, text.ToString())).GetAwaiter().GetResult();
            server.NotifyAsync("turn/completed", new JsonObject { ["threadId"] = threadId, ["turn"] = new JsonObject { ["id"] = turnId, ["items"] = new JsonArray(), ["status"] = "completed", ["error"] = null } }).GetAwaiter().GetResult();
        }) { IsBackground = true, Name = "scripted codex" };
        producer.Start();

        var (_, last, seen) = await intake.Completion.WaitAsync(TimeSpan.FromMinutes(10));
        Console.WriteLine($"  during the turn ({Stopwatch.GetElapsedTime(firstWrite, last).TotalMilliseconds:N0} ms): {GC.CollectionCount(0) - gen0} gen-0 and {GC.CollectionCount(2) - gen2} gen-2 collections, {(GC.GetTotalPauseDuration() - pause).TotalMilliseconds:N0} ms paused");
        var result = await swarm.ResultAsync().WaitAsync(TimeSpan.FromMinutes(10));
        var done = clock.Elapsed;

        // The session goes too, so the memory measured after the rounds is what the clients left behind, not the
        // replay logs of sessions still open.
        (await http.DeleteAsync($"/codex/sessions/{sessionId}")).EnsureSuccessStatusCode();
        if (seen != deltas)
        {
            Console.Error.WriteLine($"the session's log recorded {seen} of {deltas} deltas");
        }

        // From the first delta's write to the last delta recorded in the log.
        return new Round(result, deltas / Stopwatch.GetElapsedTime(firstWrite, last).TotalSeconds, result.Events / done.TotalSeconds);
    }

    /// <summary>
    /// When the session's log recorded its first and its last delta (and how many), from the adapter's
    /// <c>codex.web.events</c> counter: a <see cref="MeterListener"/> callback runs inside the counter's Add, on the
    /// turn pump's thread, at the moment of recording.
    /// </summary>
    private sealed class DeltaIntake : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly TaskCompletionSource<(long First, long Last, int Seen)> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly int _expected;
        private long _first;
        private int _seen;

        public DeltaIntake(int expected)
        {
            _expected = expected;
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "CodexRuntime.Web" && instrument.Name == "codex.web.events")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>(OnRecorded);
            _listener.Start();
        }

        public Task<(long First, long Last, int Seen)> Completion => _done.Task;

        public void Dispose()
        {
            _listener.Dispose();
            _done.TrySetResult((_first, Stopwatch.GetTimestamp(), _seen));
        }

        private void OnRecorded(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
        {
            if (tags.Length == 0 || tags[0].Value is not "delta")
            {
                return;
            }

            var now = Stopwatch.GetTimestamp();
            if (_seen++ == 0)
            {
                _first = now;
            }

            if (_seen == _expected)
            {
                _done.TrySetResult((_first, now, _seen));
            }
        }
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
