using System.Diagnostics;
using System.Globalization;
using System.Text;
using CodexRuntime.Rpc;
using CodexRuntime.Transport;
using Nerdbank.Streams;

namespace CodexRuntime.Benchmarks;

/// <summary>
/// Round-trip latency of sequential requests through <see cref="CodexRuntimeHost"/> and through the bare
/// <see cref="CodexConnection"/> over an in-memory duplex pipe, with
/// a peer that answers each request as soon as it reads it. Baseline in the same run: the same exchange with a plain
/// <see cref="StreamReader"/>/<see cref="Stream"/> client (no JSON-RPC library).
/// </summary>
internal static class LatencyBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var requests = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        foreach (var client in new[] { Client.Runtime, Client.Connection, Client.RawLines })
        {
            await MeasureAsync(1_000, client); // warm-up
        }

        var runtime = await MeasureAsync(requests, Client.Runtime);
        var connection = await MeasureAsync(requests, Client.Connection);
        var baseline = await MeasureAsync(requests, Client.RawLines);
        Console.WriteLine($"latency over {requests:N0} sequential requests (in-memory duplex):");
        Console.WriteLine($"  baseline (raw lines):  median {baseline.Median:0.0} us, p99 {baseline.P99:0.0} us");
        Console.WriteLine($"  CodexConnection:       median {connection.Median:0.0} us, p99 {connection.P99:0.0} us (median ratio {connection.Median / baseline.Median:0.00})");
        Console.WriteLine($"  CodexRuntimeHost:      median {runtime.Median:0.0} us, p99 {runtime.P99:0.0} us (median ratio {runtime.Median / baseline.Median:0.00})");
        return 0;
    }

    private enum Client
    {
        Runtime,
        Connection,
        RawLines,
    }

    private static async Task<(double Median, double P99)> MeasureAsync(int requests, Client kind)
    {
        var (client, server) = FullDuplexStream.CreatePair();
        var responder = Task.Run(() => RespondAsync(server));
        var samples = new double[requests];
        if (kind == Client.Runtime)
        {
            await using var runtime = new CodexRuntimeHost(new CodexRuntimeOptions { TransportFactory = _ => ValueTask.FromResult<ICodexTransport>(new StreamTransport(client)) });
            await runtime.StartAsync();
            for (var i = 0; i < requests; i++)
            {
                var clock = Stopwatch.GetTimestamp();
                await runtime.AppServer.SendRawRequestAsync("model/list");
                samples[i] = Stopwatch.GetElapsedTime(clock).TotalMicroseconds;
            }
        }
        else if (kind == Client.Connection)
        {
            await using var connection = await CodexConnection.ConnectAsync(new StreamTransport(client));
            for (var i = 0; i < requests; i++)
            {
                var clock = Stopwatch.GetTimestamp();
                await connection.RequestAsync("model/list");
                samples[i] = Stopwatch.GetElapsedTime(clock).TotalMicroseconds;
            }
        }
        else
        {
            using var reader = new StreamReader(client, Encoding.UTF8, leaveOpen: true);
            for (var i = 0; i < requests; i++)
            {
                var clock = Stopwatch.GetTimestamp();
                await client.WriteAsync(Encoding.UTF8.GetBytes($"{{\"id\":{i},\"method\":\"model/list\"}}\n"));
                await client.FlushAsync();
                await reader.ReadLineAsync();
                samples[i] = Stopwatch.GetElapsedTime(clock).TotalMicroseconds;
            }

            await client.DisposeAsync();
        }

        await responder;
        Array.Sort(samples);
        return (samples[samples.Length / 2], samples[(int)(samples.Length * 0.99)]);
    }

    /// <summary>Answers every request line at once; the first one is treated as initialize.</summary>
    private static async Task RespondAsync(Stream server)
    {
        using var reader = new StreamReader(server, Encoding.UTF8);
        while (await reader.ReadLineAsync() is { } line)
        {
            var idStart = line.IndexOf("\"id\":", StringComparison.Ordinal);
            if (idStart < 0)
            {
                continue; // a notification (initialized)
            }

            var id = line[(idStart + 5)..line.IndexOfAny([',', '}'], idStart + 5)];
            var result = line.Contains("\"initialize\"", StringComparison.Ordinal)
                ? "{\"userAgent\":\"latency/0.169.0\"}"
                : "{\"data\":[]}";
            await server.WriteAsync(Encoding.UTF8.GetBytes($"{{\"id\":{id},\"result\":{result}}}\n"));
            await server.FlushAsync();
        }
    }
}
