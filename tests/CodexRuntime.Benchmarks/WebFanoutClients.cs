using System.Diagnostics;
using System.Globalization;
using System.Net.ServerSentEvents;
using System.Text.Json.Nodes;

namespace CodexRuntime.Benchmarks;

/// <summary>
/// The fan-out benchmark's client swarm, a process of its own (<c>web-fanout-clients URL SESSION N DELTAS</c>) so the
/// host's figures are the host's: N SSE streams of one session, each checking every id (no gap, no repeat) and the
/// order of the deltas' numbers, measuring each delta's lag from the time it carries. A client that is reset does what
/// the chat page does: reloads the state (GET), takes its text as read, and opens a new stream from the state's
/// <c>lastEventId</c>. Prints <c>connected</c> once every stream is open, then <c>result {json}</c>.
/// </summary>
internal static class WebFanoutClients
{
    private const int MaxLagMs = 600_000;

    /// <summary>The client mode.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var url = new Uri(args[0]);
        var sessionId = args[1];
        var clients = int.Parse(args[2], CultureInfo.InvariantCulture);
        var deltas = int.Parse(args[3], CultureInfo.InvariantCulture);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = url,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        http.DefaultRequestHeaders.Add("X-Tenant", "bench");
        var lags = new long[MaxLagMs + 1];
        var connected = 0;
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var swarm = Enumerable.Range(0, clients).Select(_ => Task.Run(() => ReadAsync(http, sessionId, deltas, lags, () =>
        {
            if (Interlocked.Increment(ref connected) == clients)
            {
                Console.Out.WriteLine("connected");
                Console.Out.Flush();
            }
        }, deadline.Token))).ToArray();
        var results = await Task.WhenAll(swarm);

        var total = lags.Sum();
        var result = new JsonObject
        {
            ["complete"] = results.Count(r => r == Outcome.Complete),
            ["resetThenComplete"] = results.Count(r => r == Outcome.ResetThenComplete),
            ["failed"] = results.Count(r => r == Outcome.Failed),
            ["events"] = Interlocked.Read(ref s_events),
            ["lagMedianMs"] = Percentile(lags, total, 0.5),
            ["lagP99Ms"] = Percentile(lags, total, 0.99),
            ["lagMaxMs"] = Percentile(lags, total, 1.0),
        };
        Console.Out.WriteLine("result " + result.ToJsonString());
        Console.Out.Flush();
        return 0;
    }

    /// <summary>Starts the swarm as a child process of this benchmark program.</summary>
    public static Swarm Start(string url, string sessionId, int clients, int deltas)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(WebFanoutClients).Assembly.Location);
        }

        foreach (var arg in new[] { "web-fanout-clients", url, sessionId, clients.ToString(CultureInfo.InvariantCulture), deltas.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        // Below the host's priority: the clients stand for browsers on other machines, so they get the CPU the host
        // leaves, rather than taking it from the session's pump, which is what is measured.
        var process = Process.Start(start)!;
        process.PriorityClass = ProcessPriorityClass.BelowNormal;
        return new Swarm(process);
    }

    private static long s_events;

    private enum Outcome
    {
        Complete,
        ResetThenComplete,
        Failed,
    }

    private static async Task<Outcome> ReadAsync(HttpClient http, string sessionId, int deltas, long[] lags, Action connected, CancellationToken cancellationToken)
    {
        long lastId = 0;
        var next = 0;
        var wasReset = false;
        var first = true;
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/codex/sessions/{sessionId}/events");
            if (lastId > 0)
            {
                request.Headers.Add("Last-Event-ID", lastId.ToString(CultureInfo.InvariantCulture));
            }

            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            response.EnsureSuccessStatusCode();
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            if (first)
            {
                first = false;
                connected();
            }

            var reopen = false;
            await foreach (var item in SseParser.Create(stream).EnumerateAsync(cancellationToken))
            {
                if (item.EventType == "heartbeat")
                {
                    continue;
                }

                if (item.EventType == "end")
                {
                    break;
                }

                Interlocked.Increment(ref s_events);
                var id = long.Parse(item.EventId!, CultureInfo.InvariantCulture);
                if (item.EventType == "reset")
                {
                    // Reload the state, take its text as read, and go on from its lastEventId (what the chat page does).
                    wasReset = true;
                    var state = JsonNode.Parse(await http.GetStringAsync($"/codex/sessions/{sessionId}", cancellationToken))!;
                    var turns = state["turns"]!.AsArray();
                    var text = turns.Count > 0 ? (string)turns[^1]!["text"]! : string.Empty;
                    next = text.Count(c => c == ';');
                    lastId = (long)state["lastEventId"]!;
                    if (turns.Count > 0 && (string)turns[^1]!["status"]! == "completed")
                    {
                        return next == deltas ? Outcome.ResetThenComplete : Outcome.Failed;
                    }

                    reopen = true;
                    break;
                }

                if (id != lastId + 1)
                {
                    Console.Error.WriteLine($"a client got id {id} after {lastId}");
                    return Outcome.Failed;
                }

                lastId = id;
                if (item.EventType == "delta")
                {
                    // {"turnId":"turn-1","itemId":"msg-1","text":"d123@456789;"}: the piece's number must be the next one.
                    var received = Stopwatch.GetTimestamp();
                    var data = item.Data;
                    var start = data.IndexOf("\"text\":\"d", StringComparison.Ordinal) + 9;
                    var at = data.IndexOf('@', start);
                    if (int.Parse(data.AsSpan(start, at - start), CultureInfo.InvariantCulture) != next)
                    {
                        Console.Error.WriteLine($"a client got delta {data} when it expected d{next}");
                        return Outcome.Failed;
                    }

                    var sent = long.Parse(data.AsSpan(at + 1, data.IndexOf(';', at) - at - 1), CultureInfo.InvariantCulture);
                    var lagMs = (long)Stopwatch.GetElapsedTime(sent, received).TotalMilliseconds;
                    Interlocked.Increment(ref lags[Math.Clamp(lagMs, 0, MaxLagMs)]);
                    next++;
                }
                else if (item.EventType == "turnCompleted")
                {
                    return next != deltas ? Outcome.Failed : wasReset ? Outcome.ResetThenComplete : Outcome.Complete;
                }
            }

            if (!reopen)
            {
                Console.Error.WriteLine($"a client's stream ended at id {lastId} without turnCompleted");
                return Outcome.Failed;
            }
        }
    }

    private static long Percentile(long[] histogram, long total, double p)
    {
        var rank = Math.Max(1, (long)Math.Ceiling(total * p));
        long seen = 0;
        for (var ms = 0; ms < histogram.Length; ms++)
        {
            seen += histogram[ms];
            if (seen >= rank)
            {
                return ms;
            }
        }

        return 0;
    }

    /// <summary>The swarm process, seen from the driver: its <c>connected</c> and <c>result</c> lines; killed if still running when disposed.</summary>
    internal sealed class Swarm(Process process) : IDisposable
    {
        public async Task ConnectedAsync()
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line == "connected")
                {
                    return;
                }
            }

            throw new InvalidOperationException("The client process ended before its clients connected.");
        }

        public async Task<SwarmResult> ResultAsync()
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("result ", StringComparison.Ordinal))
                {
                    var r = JsonNode.Parse(line["result ".Length..])!;
                    using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                    await process.WaitForExitAsync(exit.Token);
                    return new SwarmResult((int)r["complete"]!, (int)r["resetThenComplete"]!, (int)r["failed"]!, (long)r["events"]!, (long)r["lagMedianMs"]!, (long)r["lagP99Ms"]!, (long)r["lagMaxMs"]!);
                }
            }

            throw new InvalidOperationException("The client process ended without a result.");
        }

        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(TimeSpan.FromSeconds(30));
            }

            process.Dispose();
        }
    }
}

/// <summary>What the swarm saw.</summary>
internal sealed record SwarmResult(int Complete, int ResetThenComplete, int Failed, long Events, long LagMedianMs, long LagP99Ms, long LagMaxMs);
