using System.Diagnostics.Metrics;

namespace CodexRuntime.Web;

/// <summary>
/// The web adapter's instruments, on the meter <c>CodexRuntime.Web</c>: open sessions, turns started, connected SSE
/// clients, reconnects (replayed or reset), approvals by outcome and turn events recorded by kind.
/// </summary>
internal sealed class WebMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "CodexRuntime.Web";

    private readonly Meter _meter;
    private readonly UpDownCounter<long> _sessions;
    private readonly Counter<long> _turns;
    private readonly UpDownCounter<long> _clients;
    private readonly Counter<long> _reconnects;
    private readonly Counter<long> _approvals;
    private readonly Counter<long> _events;

    public WebMetrics(IMeterFactory? factory)
    {
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _sessions = _meter.CreateUpDownCounter<long>("codex.web.sessions", "{session}", "Open web sessions.");
        _turns = _meter.CreateCounter<long>("codex.web.turns", "{turn}", "Turns started through the web adapter.");
        _clients = _meter.CreateUpDownCounter<long>("codex.web.sse.clients", "{client}", "Connected Server-Sent Events clients.");
        _reconnects = _meter.CreateCounter<long>("codex.web.sse.reconnects", "{reconnect}", "Streams opened with Last-Event-ID, by outcome (replayed or reset).");
        _approvals = _meter.CreateCounter<long>("codex.web.approvals", "{approval}", "Approvals resolved, by outcome (accept, acceptForSession, decline, cancel, expired).");
        _events = _meter.CreateCounter<long>("codex.web.events", "{event}", "Turn events recorded into session logs as codex sends them, by kind (delta, itemStarted, turnCompleted, ...).");
    }

    public void SessionOpened() => _sessions.Add(1);

    public void SessionEnded() => _sessions.Add(-1);

    public void TurnStarted() => _turns.Add(1);

    public void ClientConnected() => _clients.Add(1);

    public void ClientLeft() => _clients.Add(-1);

    public void Reconnected(bool reset) => _reconnects.Add(1, new KeyValuePair<string, object?>("outcome", reset ? "reset" : "replayed"));

    public void ApprovalResolved(string outcome) => _approvals.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>A turn event went into its session's log: counted where it happens, so the rate is codex's, not the clients'.</summary>
    public void EventRecorded(string kind) => _events.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void Dispose() => _meter.Dispose();
}
