using System.Diagnostics;
using System.Diagnostics.Metrics;
using CodexRuntime.Protocol;

namespace CodexRuntime.Diagnostics;

/// <summary>
/// One runtime's meter instruments, activities and plain counters. The counters back both the meter and
/// <see cref="CodexMetricsSnapshot"/>, so the two never disagree. Everything on the reader loop is an interlocked add
/// (and an instrument add, which is a no-op without a listener).
/// </summary>
internal sealed class CodexRuntimeTelemetry : IDisposable
{
    private static readonly string? Version = typeof(CodexRuntimeTelemetry).Assembly.GetName().Version?.ToString();
    private static readonly ActivitySource Source = new(CodexDiagnostics.ActivitySourceName, Version);

    private const int RateWindowSeconds = 10;

    private readonly TimeProvider _time;
    private readonly Func<(long PendingServerRequests, long DroppedEvents, long SinkQueueDepth, long SinkDrops)> _gauges;
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _requestErrors;
    private readonly Histogram<double> _requestDuration;
    private readonly Counter<long> _serverRequests;
    private readonly Counter<long> _restarts;
    private readonly Histogram<double> _sinkLatency;
    private readonly (long Timestamp, long Count)[] _samples = new (long, long)[RateWindowSeconds + 1];
    private readonly Lock _samplesGate = new();
    private ITimer? _sampler;
    private int _sampleCount;
    private long _startedTimestamp;
    private long _inboundCount;
    private long _requestCount;
    private long _failedCount;
    private long _pendingRequests;
    private long _serverRequestCount;
    private long _restartCount;
    private long _sinkWrites;
    private long _sinkLatencyTicks;
    private long _sinkLatencyMaxTicks;

    public CodexRuntimeTelemetry(IMeterFactory? meterFactory, TimeProvider time, Func<(long PendingServerRequests, long DroppedEvents, long SinkQueueDepth, long SinkDrops)> gauges)
    {
        _time = time;
        _gauges = gauges;
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(new MeterOptions(CodexDiagnostics.MeterName) { Version = Version }) ?? new Meter(CodexDiagnostics.MeterName, Version);
        // Observed rather than added per message: the reader loop pays one interlocked increment, nothing more.
        _meter.CreateObservableCounter("codex.runtime.inbound.messages", () => Interlocked.Read(ref _inboundCount), "{message}", "Messages read from codex (notifications, server requests, responses).");
        _requests = _meter.CreateCounter<long>("codex.runtime.requests", "{request}", "Requests sent to codex.");
        _requestErrors = _meter.CreateCounter<long>("codex.runtime.requests.failed", "{request}", "Requests that ended in an error.");
        _requestDuration = _meter.CreateHistogram<double>("codex.runtime.request.duration", "ms", "Time from sending a request to its answer.");
        _serverRequests = _meter.CreateCounter<long>("codex.runtime.server_requests", "{request}", "Server requests received (each is answered).");
        _restarts = _meter.CreateCounter<long>("codex.runtime.restarts", "{restart}", "New codex processes started by the restart policy.");
        _sinkLatency = _meter.CreateHistogram<double>("codex.runtime.sink.latency", "ms", "Time from an envelope's timestamp to its sink write completing.");
        _meter.CreateObservableGauge("codex.runtime.requests.pending", () => Interlocked.Read(ref _pendingRequests), "{request}", "Requests sent and not answered yet.");
        _meter.CreateObservableGauge("codex.runtime.server_requests.pending", () => gauges().PendingServerRequests, "{request}", "Server requests not answered yet.");
        _meter.CreateObservableCounter("codex.runtime.events.dropped", () => gauges().DroppedEvents, "{envelope}", "Envelopes lost by slow subscribers, per their overflow behaviour.");
        _meter.CreateObservableGauge("codex.runtime.sink.queue_depth", () => gauges().SinkQueueDepth, "{envelope}", "Envelopes waiting in event-sink queues.");
        _meter.CreateObservableCounter("codex.runtime.sink.dropped", () => gauges().SinkDrops, "{envelope}", "Envelopes event sinks lost because their queue was full.");
    }

    public long InboundCount => Interlocked.Read(ref _inboundCount);

    public long RequestCount => Interlocked.Read(ref _requestCount);

    public long FailedCount => Interlocked.Read(ref _failedCount);

    public long PendingRequests => Interlocked.Read(ref _pendingRequests);

    public long ServerRequestCount => Interlocked.Read(ref _serverRequestCount);

    public long RestartCount => Interlocked.Read(ref _restartCount);

    public long SinkWrites => Interlocked.Read(ref _sinkWrites);

    public TimeSpan SinkLatencyAverage
    {
        get
        {
            var writes = SinkWrites;
            return writes == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Interlocked.Read(ref _sinkLatencyTicks) / writes);
        }
    }

    public TimeSpan SinkLatencyMax => TimeSpan.FromTicks(Interlocked.Read(ref _sinkLatencyMaxTicks));

    /// <summary>Starts the one-second sampler behind <see cref="InboundPerSecond"/>.</summary>
    public void Start()
    {
        _startedTimestamp = _time.GetTimestamp();
        _sampler ??= _time.CreateTimer(_ => Sample(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    public TimeSpan Uptime => _startedTimestamp == 0 ? TimeSpan.Zero : _time.GetElapsedTime(_startedTimestamp);

    /// <summary>Inbound messages per second over the last <see cref="RateWindowSeconds"/> seconds (or since start).</summary>
    public double InboundPerSecond
    {
        get
        {
            var now = (Timestamp: _time.GetTimestamp(), Count: InboundCount);
            (long Timestamp, long Count) oldest;
            lock (_samplesGate)
            {
                oldest = _sampleCount == 0 ? (_startedTimestamp, 0) : _samples[_sampleCount < _samples.Length ? 0 : _sampleCount % _samples.Length];
            }

            var seconds = _time.GetElapsedTime(oldest.Timestamp, now.Timestamp).TotalSeconds;
            return seconds <= 0 ? 0 : (now.Count - oldest.Count) / seconds;
        }
    }

    /// <summary>The counters now, with the gauges the runtime owns; the same figures the meter reports.</summary>
    /// <param name="malformedLines">Inbound lines rejected so far, across connections (the connections count them).</param>
    public CodexMetricsSnapshot Snapshot(long malformedLines)
    {
        var gauges = _gauges();
        return new CodexMetricsSnapshot
        {
            TakenAt = _time.GetUtcNow(),
            Uptime = Uptime,
            InboundMessages = InboundCount,
            InboundPerSecond = InboundPerSecond,
            RequestsSent = RequestCount,
            RequestsFailed = FailedCount,
            PendingRequests = PendingRequests,
            ServerRequests = ServerRequestCount,
            PendingServerRequests = gauges.PendingServerRequests,
            DroppedEvents = gauges.DroppedEvents,
            SinkQueueDepth = gauges.SinkQueueDepth,
            SinkDrops = gauges.SinkDrops,
            SinkWrites = SinkWrites,
            SinkLatencyAverage = SinkLatencyAverage,
            SinkLatencyMax = SinkLatencyMax,
            Restarts = RestartCount,
            MalformedLines = malformedLines,
        };
    }

    public void Inbound() => Interlocked.Increment(ref _inboundCount);

    public void ServerRequest()
    {
        Interlocked.Increment(ref _serverRequestCount);
        _serverRequests.Add(1);
    }

    public void Restarted()
    {
        Interlocked.Increment(ref _restartCount);
        _restarts.Add(1);
    }

    /// <summary>Counts a request and starts its activity (a child of the caller's current activity).</summary>
    public RequestScope StartRequest(string method)
    {
        Interlocked.Increment(ref _requestCount);
        Interlocked.Increment(ref _pendingRequests);
        _requests.Add(1, new KeyValuePair<string, object?>("rpc.method", method));
        var activity = Source.StartActivity(CodexDiagnostics.RequestActivityName, ActivityKind.Client);
        if (activity is not null)
        {
            activity.DisplayName = method;
            activity.SetTag("rpc.system", "jsonrpc");
            activity.SetTag("rpc.method", method);
        }

        return new RequestScope(method, activity, _time.GetTimestamp());
    }

    /// <summary>Ends a request: a response arrived (<paramref name="error"/> null or an RPC error) or it failed locally.</summary>
    public void EndRequest(in RequestScope scope, Exception? error, bool answered)
    {
        Interlocked.Decrement(ref _pendingRequests);
        if (answered)
        {
            // A response (result or error) was read from codex.
            Inbound();
        }

        var method = new KeyValuePair<string, object?>("rpc.method", scope.Method);
        _requestDuration.Record(_time.GetElapsedTime(scope.Timestamp).TotalMilliseconds, method);
        if (error is not null)
        {
            Interlocked.Increment(ref _failedCount);
            _requestErrors.Add(1, method, new KeyValuePair<string, object?>("error.type", error.GetType().Name));
            scope.Activity?.SetStatus(ActivityStatusCode.Error, error.GetType().Name);
            scope.Activity?.SetTag("error.type", error.GetType().Name);
        }

        scope.Activity?.Dispose();
    }

    /// <summary>Starts a turn's activity without making it current: it is started on the reader loop, which must not carry it.</summary>
    public static Activity? StartTurn(string threadId, string turnId)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var previous = Activity.Current;
        var activity = Source.StartActivity(CodexDiagnostics.TurnActivityName, ActivityKind.Internal, parentContext: default);
        Activity.Current = previous;
        activity?.SetTag("codex.thread_id", threadId);
        activity?.SetTag("codex.turn_id", turnId);
        return activity;
    }

    public static void EndTurn(Activity? activity, TurnStatus status, string? error)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("codex.turn.status", status.ToString());
        if (status == TurnStatus.Failed)
        {
            activity.SetStatus(ActivityStatusCode.Error, error);
        }

        // Stop, not Dispose: Dispose would also restore Activity.Current on whatever thread ends the turn.
        activity.Stop();
    }

    public void SinkWrote(TimeSpan latency)
    {
        Interlocked.Increment(ref _sinkWrites);
        Interlocked.Add(ref _sinkLatencyTicks, latency.Ticks);
        var max = Interlocked.Read(ref _sinkLatencyMaxTicks);
        while (latency.Ticks > max)
        {
            var seen = Interlocked.CompareExchange(ref _sinkLatencyMaxTicks, latency.Ticks, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }

        _sinkLatency.Record(latency.TotalMilliseconds);
    }

    public void Dispose()
    {
        _sampler?.Dispose();
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private void Sample()
    {
        lock (_samplesGate)
        {
            _samples[_sampleCount % _samples.Length] = (_time.GetTimestamp(), InboundCount);
            _sampleCount++;
        }
    }

    /// <summary>One request in flight: its method, activity and start time.</summary>
    internal readonly record struct RequestScope(string Method, Activity? Activity, long Timestamp);
}
