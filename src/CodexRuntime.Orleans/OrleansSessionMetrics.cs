using System.Diagnostics.Metrics;

namespace CodexRuntime.Orleans;

/// <summary>
/// The scale-out instruments, on the meter <c>CodexRuntime.Orleans</c> (each silo reports its own): sessions this silo
/// holds, session grain activations, sessions moved here from another silo (after a stop or a death), turns lost with a
/// silo, and event streams this replica serves through sessions' and AG-UI threads' grains.
/// </summary>
internal sealed class OrleansSessionMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "CodexRuntime.Orleans";

    private readonly Meter _meter;
    private readonly UpDownCounter<long> _sessions;
    private readonly Counter<long> _activations;
    private readonly Counter<long> _moves;
    private readonly Counter<long> _lostTurns;
    private readonly UpDownCounter<long> _remoteStreams;

    public OrleansSessionMetrics(IMeterFactory? factory)
    {
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _sessions = _meter.CreateUpDownCounter<long>("codex.orleans.sessions", "{session}", "Web sessions held by this silo (their codex threads run on its codex).");
        _activations = _meter.CreateCounter<long>("codex.orleans.session.activations", "{activation}", "Session grain activations on this silo.");
        _moves = _meter.CreateCounter<long>("codex.orleans.session.moves", "{session}", "Sessions resumed on this silo after the silo that held them stopped or died.");
        _lostTurns = _meter.CreateCounter<long>("codex.orleans.turns.lost", "{turn}", "Turns reported failed because the silo running them died.");
        _remoteStreams = _meter.CreateUpDownCounter<long>("codex.orleans.sse.streams", "{stream}", "Event streams (REST SSE, AG-UI runs) this replica serves through a grain (from whichever silo holds the session or thread).");
    }

    public void Activated() => _activations.Add(1);

    public void Held() => _sessions.Add(1);

    public void LetGo() => _sessions.Add(-1);

    public void Moved() => _moves.Add(1);

    public void TurnLost() => _lostTurns.Add(1);

    public void RemoteStreamOpened() => _remoteStreams.Add(1);

    public void RemoteStreamClosed() => _remoteStreams.Add(-1);

    public void Dispose() => _meter.Dispose();
}
