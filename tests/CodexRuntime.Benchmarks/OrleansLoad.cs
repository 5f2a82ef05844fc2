using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CodexRuntime.Web;

namespace CodexRuntime.Benchmarks;

/// <summary>
/// The Orleans benchmark's load on one cluster: sessions created round-robin over its silos (each on the silo whose
/// <see cref="ICodexWebSessions"/> created it), each read by one SSE-like subscriber for as long as the benchmark runs,
/// and rounds of turns over them. A session is driven (turns, events) through the silo <c>driverOffset</c> after its
/// own: 0 is its own silo, 1 the next one (every call and every event crosses silos).
/// </summary>
internal sealed class OrleansLoad : IAsyncDisposable
{
    private readonly List<LoadSession> _sessions;
    private readonly CancellationTokenSource _stop;

    private OrleansLoad(List<LoadSession> sessions, CancellationTokenSource stop)
    {
        _sessions = sessions;
        _stop = stop;
    }

    /// <summary>Opens the sessions and starts their subscribers.</summary>
    /// <param name="cluster">The cluster.</param>
    /// <param name="sessions">How many sessions.</param>
    /// <param name="tenants">Over how many tenants they are spread (round-robin).</param>
    /// <param name="driverOffset">Which silo drives a session, counted from its own.</param>
    public static async Task<OrleansLoad> OpenAsync(OrleansCluster cluster, int sessions, int tenants, int driverOffset)
    {
        var silos = cluster.Silos;
        using var body = JsonDocument.Parse("""{"artifactId":"bench"}""");
        var stop = new CancellationTokenSource();
        var opened = await Task.WhenAll(Enumerable.Range(0, sessions).Select(async i =>
        {
            var tenant = "tenant-" + (i % tenants).ToString(CultureInfo.InvariantCulture);
            var info = await silos[i % silos.Count].Sessions.CreateSessionAsync(tenant, body.RootElement);
            return new LoadSession(silos[(i + driverOffset) % silos.Count].Sessions, tenant, info.SessionId, stop.Token);
        }));
        return new OrleansLoad([.. opened], stop);
    }

    /// <summary>
    /// Runs <paramref name="turns"/> turns on every session, one after another per session, at most
    /// <paramref name="concurrency"/> running at once over all sessions.
    /// </summary>
    /// <param name="turns">Turns per session.</param>
    /// <param name="concurrency">Turns in flight at most.</param>
    /// <param name="deltas">Deltas per turn.</param>
    public async Task<LoadRound> RunAsync(int turns, int concurrency, int deltas)
    {
        using var gate = new SemaphoreSlim(concurrency);
        using var prompt = JsonDocument.Parse($$"""{"text":"{{OrleansScriptedCodex.Prompt(deltas)}}"}""");
        var latencies = new ConcurrentBag<long>();
        var retries = 0;
        var failed = 0;
        var cpu = Environment.CpuUsage.TotalTime;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(_sessions.Select(async session =>
        {
            for (var t = 0; t < turns && !session.Lost; t++)
            {
                await gate.WaitAsync();
                try
                {
                    var (ticks, status, retried) = await session.TurnAsync(prompt.RootElement);
                    if (ticks < 0)
                    {
                        Interlocked.Increment(ref failed);
                        continue; // the session is lost: its subscriber is gone or behind, its next turns could not be timed either
                    }

                    latencies.Add(ticks);
                    Interlocked.Add(ref retries, retried);
                    if (status != "completed")
                    {
                        Interlocked.Increment(ref failed);
                    }
                }
                finally
                {
                    gate.Release();
                }
            }
        }));
        var elapsed = clock.Elapsed;
        var busy = Environment.CpuUsage.TotalTime - cpu;
        return new LoadRound(latencies.Order().ToArray(), elapsed, busy, retries, failed, _sessions.Sum(s => s.Disorders));
    }

    /// <summary>Ends the subscribers (the sessions end with their silos).</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_sessions.Select(s => s.Reader));
        _stop.Dispose();
    }

    /// <summary>One session: its driver, and the subscriber that hands each turn's end to the turn that waits for it.</summary>
    private sealed class LoadSession
    {
        private readonly ICodexWebSessions _driver;
        private readonly string _tenant;
        private readonly string _id;
        private readonly ConcurrentDictionary<string, TaskCompletionSource<(long At, string Status)>> _ends = new(StringComparer.Ordinal);
        private readonly TaskCompletionSource<Exception> _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _last;

        public LoadSession(ICodexWebSessions driver, string tenant, string id, CancellationToken stop)
        {
            _driver = driver;
            _tenant = tenant;
            _id = id;
            // Read all the time, as a browser's EventSource does: Orleans drops a grain's enumerator that nobody pulls
            // for a while (between rounds it would), and a turn's end is timed where the reader sees it.
            Reader = Task.Run(() => ReadAsync(stop));
        }

        public Task Reader { get; }

        /// <summary>Whether a turn's end never reached the subscriber: the session takes no more turns.</summary>
        public bool Lost { get; private set; }

        /// <summary>Events whose id did not follow the previous one's, or resets: none is expected.</summary>
        public int Disorders { get; private set; }

        /// <summary>
        /// One turn: from its start (the first attempt) to its <c>turnCompleted</c> on the subscription; -1 ticks (and
        /// why, on stderr) when the subscriber did not see it.
        /// </summary>
        public async Task<(long Ticks, string Status, int Retries)> TurnAsync(JsonElement prompt)
        {
            var start = Stopwatch.GetTimestamp();
            var deadline = Task.Delay(TimeSpan.FromSeconds(30));
            var retries = 0;
            while (true)
            {
                try
                {
                    var turn = await _driver.CreateTurnAsync(_tenant, _id, prompt);
                    var end = End(turn.TurnId).Task;
                    if (await Task.WhenAny(end, _lost.Task, deadline) != end)
                    {
                        Lost = true;
                        Console.Error.WriteLine(await LostAsync(turn.TurnId));
                        return (-1, "lost", retries);
                    }

                    var (at, status) = await end;
                    _ends.TryRemove(turn.TurnId, out _);
                    return (at - start, status, retries);
                }
                catch (CodexWebException ex) when (ex.Kind is CodexWebErrorKind.TurnInProgress or CodexWebErrorKind.LimitExceeded)
                {
                    // The previous turn's end is in the log a moment before its slot is free (the session's pump
                    // appends turnCompleted, then lets the turn go): the next turn retries, its clock still running.
                    retries++;
                    if (deadline.IsCompleted)
                    {
                        Lost = true;
                        Console.Error.WriteLine($"session {_id}: a turn refused for 30 s ({ex.Message}); {await LostAsync("the previous turn")}");
                        return (-1, "lost", retries);
                    }

                    await Task.Delay(1);
                }
            }
        }

        /// <summary>What the benchmark knows of a turn whose end its subscriber did not see: the subscription's end, or the session's state.</summary>
        private async Task<string> LostAsync(string turnId)
        {
            var reason = _lost.Task.IsCompleted ? $"the subscription ended ({await _lost.Task})" : $"the subscription is open, its last event {_last}";
            string state;
            try
            {
                var now = await _driver.GetSessionStateAsync(_tenant, _id);
                state = $"its state: status {now.Status}, active turn {now.ActiveTurnId ?? "none"}, lastEventId {now.LastEventId}, last turn {now.Turns.LastOrDefault()}";
            }
            catch (Exception ex)
            {
                state = $"state refused: {ex.Message}";
            }

            return $"session {_id}, {turnId}: no turnCompleted on its subscription within 30 s; {reason}; {state}";
        }

        private TaskCompletionSource<(long At, string Status)> End(string turnId) =>
            _ends.GetOrAdd(turnId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously));

        private async Task ReadAsync(CancellationToken stop)
        {
            try
            {
                await foreach (var e in _driver.SubscribeEventsAsync(_tenant, _id, null, stop))
                {
                    if (e.Kind is "reset" || (_last != 0 && e.Id != _last + 1))
                    {
                        Disorders++;
                    }

                    _last = e.Id;
                    if (e.Kind is "turnCompleted")
                    {
                        var at = Stopwatch.GetTimestamp();
                        using var data = JsonDocument.Parse(e.Data);
                        End(data.RootElement.GetProperty("turnId").GetString()!).TrySetResult((at, data.RootElement.GetProperty("status").GetString()!));
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // The benchmark is over.
            }
            catch (Exception ex)
            {
                _lost.TrySetResult(ex);
                return;
            }

            if (!stop.IsCancellationRequested)
            {
                _lost.TrySetResult(new InvalidOperationException($"the stream ended after event {_last}"));
            }
        }
    }
}

/// <summary>
/// One round of <see cref="OrleansLoad"/>: every turn's latency (sorted, in stopwatch ticks), the round's wall time and
/// the process's CPU time meanwhile (every silo, scripted codex and driver is in this process).
/// </summary>
internal sealed record LoadRound(long[] Latencies, TimeSpan Elapsed, TimeSpan Cpu, int Retries, int Failed, int Disorders)
{
    public double TurnsPerSecond => Latencies.Length / Elapsed.TotalSeconds;

    /// <summary>CPU time per turn, in microseconds: the cost of a turn, whatever the cores it had.</summary>
    public double CpuPerTurnUs => Cpu.TotalMicroseconds / Latencies.Length;

    public double P50Ms => Percentile(0.5);

    public double P99Ms => Percentile(0.99);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Latencies.Length:N0} turns in {Elapsed.TotalSeconds:0.00} s: {TurnsPerSecond:N0} turns/s, latency p50 {P50Ms:0.0} ms, p99 {P99Ms:0.0} ms, CPU {CpuPerTurnUs:N0} µs/turn; {Retries} retries, {Failed} failed, {Disorders} out of order");

    private double Percentile(double p) =>
        Latencies.Length == 0 ? 0 : Latencies[Math.Min(Latencies.Length - 1, (int)(Latencies.Length * p))] * 1000.0 / Stopwatch.Frequency;
}
