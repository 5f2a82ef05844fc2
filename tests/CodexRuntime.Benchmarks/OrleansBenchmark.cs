using System.Globalization;

namespace CodexRuntime.Benchmarks;

/// <summary>
/// Web sessions as Orleans grains (<c>CodexRuntime.Orleans</c>), all in this process over in-memory scripted codex
/// servers, one per silo. Two clusters run side by side: one silo, and three silos. The same load (sessions created
/// round-robin over the silos, N short turns each, a bounded number in flight) runs on the one silo, on the three with
/// every session driven through its own silo, and on the three with every session driven through another silo (each
/// call and event crosses silos); rounds alternate between them. Measured: turns/s and the turn latency (start →
/// <c>turnCompleted</c> on the session's subscription), p50 and p99, with ratios against the one silo. Then the cost of
/// one cross-silo SSE client: one long turn read through the owning silo's adapter, its grain from the same silo, its
/// grain from another silo (events/s, ratios against the adapter).
/// </summary>
internal static class OrleansBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var quick = args.Contains("short");
        var sessions = Arg(args, "sessions", 300);
        var turns = Arg(args, "turns", quick ? 5 : 20);
        var concurrency = Arg(args, "concurrency", 100);
        var deltas = Arg(args, "deltas", 10);
        var tenants = Arg(args, "tenants", 10);
        var rounds = Arg(args, "rounds", quick ? 1 : 5);
        var sseDeltas = Arg(args, "sse-deltas", quick ? 5_000 : 20_000);
        Console.WriteLine($"orleans: {sessions:N0} sessions over {tenants} tenants, {turns} turns each ({deltas} deltas per turn), at most {concurrency} in flight; {rounds} rounds per configuration after a warm-up; " +
            $"{Environment.ProcessorCount} cores, {(System.Runtime.GCSettings.IsServerGC ? "server GC" : "workstation GC")}; every silo, client and scripted codex in this process");

        await using var one = await OrleansCluster.StartAsync(1, sessions);
        await using var three = await OrleansCluster.StartAsync(3, sessions);
        var configurations = new (string Name, OrleansLoad Load)[]
        {
            ("1 silo", await OrleansLoad.OpenAsync(one, sessions, tenants, driverOffset: 0)),
            ("3 silos, driven through the owning silo", await OrleansLoad.OpenAsync(three, sessions, tenants, driverOffset: 0)),
            ("3 silos, driven through another silo", await OrleansLoad.OpenAsync(three, sessions, tenants, driverOffset: 1)),
        };
        var ok = true;
        try
        {
            var results = configurations.Select(_ => new List<LoadRound>()).ToArray();
            for (var round = 0; round <= rounds; round++)
            {
                for (var c = 0; c < configurations.Length; c++)
                {
                    var result = await configurations[c].Load.RunAsync(turns, concurrency, deltas);
                    Console.WriteLine($"{(round == 0 ? "warm-up" : $"round {round}")}, {configurations[c].Name}: {result}");
                    ok &= result.Failed == 0 && result.Disorders == 0;
                    if (round > 0)
                    {
                        results[c].Add(result);
                    }
                }
            }

            foreach (var (name, cluster) in new[] { ("1 silo", one), ("3 silos", three) })
            {
                Console.WriteLine($"{name}: codex turns started / written to turn/completed, per silo: {string.Join(", ", cluster.Silos.Select(s => $"{s.CodexTurns.Started:N0} / {s.CodexTurns.Written:N0}"))}");
            }

            var sse = await OrleansSse.OpenAsync(three);
            var reads = OrleansSse.Subscribers.Select(_ => new List<SseRound>()).ToArray();
            for (var round = 0; round <= rounds; round++)
            {
                for (var s = 0; s < reads.Length; s++)
                {
                    var read = await sse.RunAsync(s, sseDeltas);
                    Console.WriteLine($"{(round == 0 ? "warm-up" : $"round {round}")}, SSE {read}");
                    ok &= read.Disorders == 0;
                    if (round > 0)
                    {
                        reads[s].Add(read);
                    }
                }
            }

            Console.WriteLine();
            var baseline = Median(results[0], r => r.TurnsPerSecond);
            Console.WriteLine($"| {sessions} sessions × {turns} turns, ≤ {concurrency} in flight (median round by turns/s) | turns/s | p50 turn latency | p99 turn latency | CPU per turn |");
            Console.WriteLine("|---|---|---|---|---|");
            for (var c = 0; c < configurations.Length; c++)
            {
                var median = Median(results[c], r => r.TurnsPerSecond);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {configurations[c].Name} | {median.TurnsPerSecond:N0} ({median.TurnsPerSecond / baseline.TurnsPerSecond:0.00}x) | {median.P50Ms:0.0} ms ({median.P50Ms / baseline.P50Ms:0.00}x) | {median.P99Ms:0.0} ms ({median.P99Ms / baseline.P99Ms:0.00}x) | {median.CpuPerTurnUs:N0} µs ({median.CpuPerTurnUs / baseline.CpuPerTurnUs:0.00}x) |"));
            }

            Console.WriteLine();
            var live = Median(reads[0], r => r.Live.EventsPerSecond).Live;
            var replay = Median(reads[0], r => r.Replay.EventsPerSecond).Replay;
            Console.WriteLine($"| one subscriber of a {sseDeltas:N0}-delta turn (median round of each column) | live: events/s delivered | live: CPU per event | replay: events/s delivered | replay: CPU per event |");
            Console.WriteLine("|---|---|---|---|---|");
            foreach (var subscriber in reads)
            {
                var l = Median(subscriber, x => x.Live.EventsPerSecond).Live;
                var r = Median(subscriber, x => x.Replay.EventsPerSecond).Replay;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {subscriber[0].Subscriber} | {l.EventsPerSecond:N0} ({l.EventsPerSecond / live.EventsPerSecond:0.00}x) | {l.CpuPerEventUs:0.0} µs ({l.CpuPerEventUs / live.CpuPerEventUs:0.00}x) | {r.EventsPerSecond:N0} ({r.EventsPerSecond / replay.EventsPerSecond:0.00}x) | {r.CpuPerEventUs:0.0} µs ({r.CpuPerEventUs / replay.CpuPerEventUs:0.00}x) |"));
            }
        }
        finally
        {
            foreach (var (_, load) in configurations)
            {
                await load.DisposeAsync();
            }
        }

        Console.WriteLine();
        Console.WriteLine(ok ? "PASS: every turn completed, every subscriber read every event in order" : "FAIL: a turn failed or a subscriber saw a gap, a repeat or a reset");
        return ok ? 0 : 1;
    }

    private static T Median<T>(List<T> rounds, Func<T, double> by) => rounds.OrderBy(by).ElementAt(rounds.Count / 2);

    private static int Arg(string[] args, string name, int fallback) =>
        args.Where(a => a.StartsWith(name + "=", StringComparison.Ordinal)).Select(a => int.Parse(a[(name.Length + 1)..], CultureInfo.InvariantCulture)).LastOrDefault(fallback);
}
