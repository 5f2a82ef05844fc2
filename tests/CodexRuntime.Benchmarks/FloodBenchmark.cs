using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CodexRuntime.Events;
using CodexRuntime.Rpc;
using CodexRuntime.Transport;

namespace CodexRuntime.Benchmarks;

/// <summary>
/// Events per second over a real pipe: a stand-in app-server (CodexRuntime.FloodServer) floods one turn with
/// sequence-numbered <c>item/agentMessage/delta</c> notifications. Baseline: read its stdout with
/// <see cref="StreamReader"/> + <see cref="JsonDocument.Parse(string, JsonDocumentOptions)"/>. Measured: the same flood
/// through <see cref="CodexRuntimeHost"/> (default options: state projection, metrics and server-request dispatch all on)
/// to one envelope subscriber (layer 6), and through <see cref="CodexClient"/> → <see cref="CodexSession.AskStreamingAsync"/>
/// (layer 3) to a consumer of <see cref="MessageDeltaEvent"/>s. Each checks that every delta arrives, in order, and
/// the session round fails on any <see cref="EventsLostEvent"/>. Rounds alternate so all see the same machine state;
/// the figures are median ratios, with bytes allocated per delta and gen2 collections per round.
/// </summary>
internal static class FloodBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var deltas = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        // "connection": measure the bare CodexConnection instead of the runtime, to see what the runtime layer costs.
        var bareConnection = args.Length > 2 && args[2] == "connection";
        var server = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "CodexRuntime.FloodServer.exe" : "CodexRuntime.FloodServer");
        Console.WriteLine($"flood: {deltas:N0} deltas per round, {rounds} rounds, server {server}");

        await BaselineAsync(server, Math.Min(deltas, 50_000));
        await RuntimeAsync(server, Math.Min(deltas, 50_000), bareConnection); // warm-up
        await SessionAsync(server, Math.Min(deltas, 50_000)); // warm-up
        var ratios = new List<double>();
        var sessionRatios = new List<double>();
        var baselineRates = new List<double>();
        var runtimeRates = new List<double>();
        var sessionRates = new List<double>();
        for (var round = 1; round <= rounds; round++)
        {
            var baseline = await MeasureAsync(() => BaselineAsync(server, deltas), deltas);
            var runtime = await MeasureAsync(() => RuntimeAsync(server, deltas, bareConnection), deltas);
            var session = await MeasureAsync(() => SessionAsync(server, deltas), deltas);
            baselineRates.Add(baseline.Rate);
            runtimeRates.Add(runtime.Rate);
            sessionRates.Add(session.Rate);
            ratios.Add(runtime.Rate / baseline.Rate);
            sessionRatios.Add(session.Rate / baseline.Rate);
            Console.WriteLine($"round {round}: baseline {baseline}; runtime (layer 6) {runtime}, ratio {runtime.Rate / baseline.Rate:0.00}; session (layer 3) {session}, ratio {session.Rate / baseline.Rate:0.00}");
        }

        Console.WriteLine($"median: baseline {Median(baselineRates):N0} deltas/s, runtime {Median(runtimeRates):N0} deltas/s (ratio {Median(ratios):0.00}), session {Median(sessionRates):N0} deltas/s (ratio {Median(sessionRatios):0.00})");
        return 0;
    }

    /// <summary>One round's rate with what it allocated per delta and how many gen2 collections ran.</summary>
    private readonly record struct Round(double Rate, double BytesPerDelta, int Gen2)
    {
        public override string ToString() => $"{Rate:N0}/s, {BytesPerDelta:N0} B/delta, {Gen2} gen2";
    }

    private static async Task<Round> MeasureAsync(Func<Task<double>> run, int deltas)
    {
        var bytes = GC.GetTotalAllocatedBytes(precise: true);
        var gen2 = GC.CollectionCount(2);
        var rate = await run();
        return new Round(rate, (GC.GetTotalAllocatedBytes(precise: true) - bytes) / (double)deltas, GC.CollectionCount(2) - gen2);
    }

    /// <summary>Layer 3: a session's streaming turn, counting <see cref="MessageDeltaEvent"/>s in order.</summary>
    private static async Task<double> SessionAsync(string server, int deltas)
    {
        var config = new ClientConfig { Runtime = { Process = { ExecutablePath = server } } };
        config.Runtime.Process.ShutdownTimeout = TimeSpan.FromSeconds(2);
        await using var client = new CodexClient(config);
        await using var session = await client.StartSessionAsync(new SessionConfig(Path.GetTempPath(), new RunProfile { Timeout = TimeSpan.FromMinutes(5) }));
        var expected = 0;
        long lost = 0;
        var clock = Stopwatch.StartNew();
        await using var turn = await session.AskStreamingAsync(deltas.ToString(CultureInfo.InvariantCulture));
        await foreach (var e in turn)
        {
            switch (e)
            {
                case MessageDeltaEvent delta:
                    Check(delta.Delta, ref expected);
                    break;
                case EventsLostEvent missed:
                    lost += missed.Count;
                    break;
            }
        }

        clock.Stop();
        if (lost != 0)
        {
            throw new InvalidOperationException($"{lost:N0} deltas were lost on the session stream.");
        }

        Complete(expected, deltas);
        return deltas / clock.Elapsed.TotalSeconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static async Task<double> BaselineAsync(string server, int deltas)
    {
        var start = new ProcessStartInfo(server) { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("--flood-now");
        start.ArgumentList.Add(deltas.ToString(CultureInfo.InvariantCulture));
        using var process = Process.Start(start)!;
        var expected = 0;
        // The clock starts at the first line, as the runtime's starts when the flood is requested: process start-up is
        // not part of either figure.
        Stopwatch? clock = null;
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            clock ??= Stopwatch.StartNew();
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.GetProperty("method").ValueEquals("item/agentMessage/delta"u8))
            {
                Check(root.GetProperty("params").GetProperty("delta").GetString()!, ref expected);
            }
            else
            {
                break;
            }
        }

        clock!.Stop();
        await process.WaitForExitAsync();
        Complete(expected, deltas);
        return deltas / clock.Elapsed.TotalSeconds;
    }

    private static async Task<double> RuntimeAsync(string server, int deltas, bool bareConnection)
    {
        var process = new CodexProcessOptions { ExecutablePath = server, ShutdownTimeout = TimeSpan.FromSeconds(2) };
        await using var runtime = new CodexRuntimeHost(new CodexRuntimeOptions { Process = process });
        await using var connection = bareConnection ? await CodexConnection.StartAsync(process) : null;
        if (connection is null)
        {
            await runtime.StartAsync();
        }

        using var subscription = connection?.Subscribe(new CodexSubscriptionOptions { Capacity = 1_000_000, IncludeOutbound = false }) ?? runtime.Subscribe(new CodexSubscriptionOptions { Capacity = 1_000_000, IncludeOutbound = false });
        var expected = 0;
        var clock = Stopwatch.StartNew();
        _ = connection is not null ? connection.RequestAsync("turn/start", JsonDocument.Parse($$"""{"threadId":"thread-1","input":[],"count":{{deltas}}}""").RootElement, TimeSpan.FromMinutes(5)) : runtime.AppServer.SendRawRequestAsync("turn/start", JsonDocument.Parse($$"""{"threadId":"thread-1","input":[],"count":{{deltas}}}""").RootElement, TimeSpan.FromMinutes(5));
        await foreach (var envelope in subscription.ReadAllAsync())
        {
            if (envelope.Method == "item/agentMessage/delta")
            {
                Check(DeltaOf(envelope.Json.Span), ref expected);
            }
            else if (envelope.Method == "turn/completed")
            {
                break;
            }
        }

        clock.Stop();
        Complete(expected, deltas);
        if (subscription.DroppedCount != 0)
        {
            throw new InvalidOperationException($"{subscription.DroppedCount} envelopes were dropped.");
        }

        return deltas / clock.Elapsed.TotalSeconds;
    }

    /// <summary>The delta string of one line, with a forward-only reader (the subscriber's own cost stays small).</summary>
    private static string DeltaOf(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("delta"u8))
            {
                reader.Read();
                return reader.GetString()!;
            }
        }

        throw new InvalidOperationException("A delta without a delta.");
    }

    private static void Check(string delta, ref int expected)
    {
        if (int.Parse(delta, CultureInfo.InvariantCulture) != expected)
        {
            throw new InvalidOperationException($"Delta {delta} arrived where {expected} was expected: out of order or lost.");
        }

        expected++;
    }

    private static void Complete(int received, int deltas)
    {
        if (received != deltas)
        {
            throw new InvalidOperationException($"{received:N0} of {deltas:N0} deltas arrived.");
        }
    }
}
