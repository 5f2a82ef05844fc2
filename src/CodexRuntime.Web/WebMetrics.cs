using System.Diagnostics.Metrics;

namespace CodexRuntime.Web;

/// <summary>
/// The web adapter's instruments, on the meter <c>CodexRuntime.Web</c>: open sessions, turns started, connected SSE
/// clients, reconnects (replayed or reset) and approvals by outcome.
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

    public WebMetrics(IMeterFactory? factory)
    {
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _sessions = _meter.CreateUpDownCounter<long>("codex.web.sessions", "{session}", "Open web sessions.");
        _turns = _meter.CreateCounter<long>("codex.web.turns", "{turn}", "Turns started through the web adapter.");
        _clients = _meter.CreateUpDownCounter<long>("codex.web.sse.clients", "{client}", "Connected Server-Sent Events clients.");
        _reconnects = _meter.CreateCounter<long>("codex.web.sse.reconnects", "{reconnect}", "Streams opened with Last-Event-ID, by outcome (replayed or reset).");
        _approvals = _meter.CreateCounter<long>("codex.web.approvals", "{approval}", "Approvals resolved, by outcome (accept, acceptForSession, decline, cancel, expired).");
    }

    public void SessionOpened() => _sessions.Add(1);

    public void SessionEnded() => _sessions.Add(-1);

    public void TurnStarted() => _turns.Add(1);

    public void ClientConnected() => _clients.Add(1);

    public void ClientLeft() => _clients.Add(-1);

    public void Reconnected(bool reset) => _reconnects.Add(1, new KeyValuePair<string, object?>("outcome", reset ? "reset" : "replayed"));

    public void ApprovalResolved(string outcome) => _approvals.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Dispose() => _meter.Dispose();
}
