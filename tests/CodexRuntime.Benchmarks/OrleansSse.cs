using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CodexRuntime.Web;

namespace CodexRuntime.Benchmarks;

/// <summary>
/// The Orleans benchmark's stream cost: one session on the first silo streams one long turn to one subscriber, which
/// is in turn the silo's own adapter (what a local SSE client reads), the session's grain called from the same silo,
/// and the grain called from another silo (a cross-silo SSE client). Measured: events delivered per second, from the
/// turn's start to the subscriber's <c>turnCompleted</c>.
/// </summary>
internal sealed class OrleansSse
{
    private const string Tenant = "sse";

    private readonly OrleansCluster _cluster;
    private readonly string _sessionId;
    private long _cursor;

    private OrleansSse(OrleansCluster cluster, string sessionId)
    {
        _cluster = cluster;
        _sessionId = sessionId;
    }

    /// <summary>The subscribers, in the order each round reads them.</summary>
    public static IReadOnlyList<string> Subscribers { get; } = ["local adapter", "grain, same silo", "grain, other silo"];

    /// <summary>Opens the session on the cluster's first silo (the cluster needs two).</summary>
    public static async Task<OrleansSse> OpenAsync(OrleansCluster cluster)
    {
        using var body = JsonDocument.Parse("""{"artifactId":"sse"}""");
        var info = await cluster.Silos[0].Sessions.CreateSessionAsync(Tenant, body.RootElement);
        return new OrleansSse(cluster, info.SessionId);
    }

    /// <summary>
    /// One turn of <paramref name="deltas"/> deltas read live by subscriber number <paramref name="subscriber"/> (paced
    /// by the scripted codex and the session's pump), then the same turn again from the replay ring (paced by the
    /// subscriber's path alone).
    /// </summary>
    public async Task<SseRound> RunAsync(int subscriber, int deltas)
    {
        var owner = _cluster.Silos[0];
        using var prompt = JsonDocument.Parse($$"""{"text":"{{OrleansScriptedCodex.Prompt(deltas)}}"}""");
        var before = _cursor;
        string? turn = null;
        // The first pull opens the subscription (for a grain, its enumerator there); the turn starts once it is under
        // way, as a browser's stream is open before it posts a turn.
        var live = await ReadAsync(subscriber, before, async () => turn = await StartTurnAsync(owner.Sessions, prompt.RootElement), e => e.Kind is "turnCompleted" && Ends(e, turn!));
        _cursor = live.LastId;
        var replay = await ReadAsync(subscriber, before, () => Task.CompletedTask, e => e.Id == _cursor);
        return new SseRound(Subscribers[subscriber], live, replay);
    }

    /// <summary>Reads from after <paramref name="cursor"/> until <paramref name="last"/>, timed from <paramref name="begin"/>'s start.</summary>
    private async Task<SseRead> ReadAsync(int subscriber, long cursor, Func<Task> begin, Func<WebEvent, bool> last)
    {
        var events = subscriber switch
        {
            0 => _cluster.Silos[0].Adapter.SubscribeEventsAsync(Tenant, _sessionId, cursor),
            1 => _cluster.Silos[0].Sessions.SubscribeEventsAsync(Tenant, _sessionId, cursor),
            _ => _cluster.Silos[1].Sessions.SubscribeEventsAsync(Tenant, _sessionId, cursor),
        };
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var reader = events.GetAsyncEnumerator(deadline.Token);
        try
        {
            var first = reader.MoveNextAsync();
            var cpu = Environment.CpuUsage.TotalTime;
            var start = Stopwatch.GetTimestamp();
            await begin();
            var delivered = 0;
            var disorders = 0;
            var previous = cursor;
            var more = await first;
            while (more)
            {
                var e = reader.Current;
                delivered++;
                if (e.Kind is "reset" || e.Id != previous + 1)
                {
                    disorders++;
                }

                previous = e.Id;
                if (last(e))
                {
                    break;
                }

                more = await reader.MoveNextAsync();
            }

            return new SseRead(delivered, previous, Stopwatch.GetElapsedTime(start), Environment.CpuUsage.TotalTime - cpu, disorders);
        }
        finally
        {
            await reader.DisposeAsync();
        }
    }

    private static bool Ends(WebEvent e, string turnId)
    {
        using var data = JsonDocument.Parse(e.Data);
        return data.RootElement.GetProperty("turnId").GetString() == turnId;
    }

    /// <summary>Starts the turn once the previous one let its slot go (its end is logged a moment before).</summary>
    private async Task<string> StartTurnAsync(ICodexWebSessions sessions, JsonElement prompt)
    {
        while (true)
        {
            try
            {
                return (await sessions.CreateTurnAsync(Tenant, _sessionId, prompt)).TurnId;
            }
            catch (CodexWebException ex) when (ex.Kind is CodexWebErrorKind.TurnInProgress)
            {
                await Task.Delay(1);
            }
        }
    }
}

/// <summary>One read of one long turn: events delivered (and the last one's id), wall time, the process's CPU time meanwhile.</summary>
internal sealed record SseRead(int Delivered, long LastId, TimeSpan Elapsed, TimeSpan Cpu, int Disorders)
{
    public double EventsPerSecond => Delivered / Elapsed.TotalSeconds;

    /// <summary>CPU time per delivered event, in microseconds (the producer's share included when read live).</summary>
    public double CpuPerEventUs => Cpu.TotalMicroseconds / Delivered;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Delivered:N0} events in {Elapsed.TotalMilliseconds:N0} ms, {EventsPerSecond:N0} events/s, CPU {CpuPerEventUs:0.0} µs/event, {Disorders} out of order");
}

/// <summary>One subscriber's live read of one long turn, then its replay of the same turn.</summary>
internal sealed record SseRound(string Subscriber, SseRead Live, SseRead Replay)
{
    public int Disorders => Live.Disorders + Replay.Disorders;

    public override string ToString() => $"{Subscriber}: live {Live}; replay {Replay}";
}
