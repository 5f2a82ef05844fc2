namespace CodexRuntime.Diagnostics;

/// <summary>
/// The runtime's counters at one moment, for callers without an OpenTelemetry pipeline (the same figures are
/// reported on the <see cref="CodexDiagnostics.MeterName"/> meter). Totals cover the runtime's whole life, across
/// restarts.
/// </summary>
public sealed record CodexMetricsSnapshot
{
    /// <summary>When the snapshot was taken.</summary>
    public required DateTimeOffset TakenAt { get; init; }

    /// <summary>How long the runtime has been started.</summary>
    public required TimeSpan Uptime { get; init; }

    /// <summary>Messages read from codex: notifications, server requests and responses.</summary>
    public required long InboundMessages { get; init; }

    /// <summary>Inbound messages per second over the last ten seconds (or since start, if shorter).</summary>
    public required double InboundPerSecond { get; init; }

    /// <summary>Requests sent to codex.</summary>
    public required long RequestsSent { get; init; }

    /// <summary>Requests that ended in an error (RPC error, timeout, transport closed, cancelled).</summary>
    public required long RequestsFailed { get; init; }

    /// <summary>Requests sent and not answered yet.</summary>
    public required long PendingRequests { get; init; }

    /// <summary>Server requests received.</summary>
    public required long ServerRequests { get; init; }

    /// <summary>Server requests not answered yet.</summary>
    public required long PendingServerRequests { get; init; }

    /// <summary>Envelopes lost by slow subscribers (event sinks included), per their overflow behaviour.</summary>
    public required long DroppedEvents { get; init; }

    /// <summary>Envelopes waiting in event-sink queues now.</summary>
    public required long SinkQueueDepth { get; init; }

    /// <summary>Envelopes event sinks lost because their queue was full.</summary>
    public required long SinkDrops { get; init; }

    /// <summary>Envelopes event sinks wrote.</summary>
    public required long SinkWrites { get; init; }

    /// <summary>Mean time from an envelope's timestamp to its sink write completing.</summary>
    public required TimeSpan SinkLatencyAverage { get; init; }

    /// <summary>Longest time from an envelope's timestamp to its sink write completing.</summary>
    public required TimeSpan SinkLatencyMax { get; init; }

    /// <summary>Times the restart policy started a new codex process.</summary>
    public required long Restarts { get; init; }

    /// <summary>Inbound lines that were not JSON-RPC messages (logged and skipped).</summary>
    public required long MalformedLines { get; init; }
}
