using System.Text.Json;
using CodexRuntime.Web;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace CodexRuntime.Orleans;

/// <summary>
/// Keeps one session's <see cref="SessionRecord"/> in grain storage: one write at a time (the grain is reentrant), the
/// newest events for the next idle write, what a turn's end or a stopping silo writes, and the resume a record gives.
/// </summary>
internal sealed class SessionRecordKeeper(IPersistentState<SessionRecord> record, Rollouts rollouts, ILogger logger, Func<string> sessionId)
{
    /// <summary>Event ids reserved ahead of the log by each write while a turn starts or runs (written again when half are used).</summary>
    internal const long Reserve = 10_000;

    /// <summary>The most events (and bytes of their data) the record keeps for clients that reconnect after a move.</summary>
    internal const int KeptEvents = 256;

    private const int KeptBytes = 256 * 1024;

    private readonly SemaphoreSlim _writes = new(1, 1);
    private readonly LinkedList<SessionEvent> _recent = new();
    private int _recentBytes;

    /// <summary>The record as last read or written.</summary>
    public SessionRecord State => record.State;

    /// <summary>Reads the record again (another activation may have written it since this one read it).</summary>
    public Task RefreshAsync() => record.ReadStateAsync(CancellationToken.None);

    /// <summary>Changes the record and writes it; a failure is thrown.</summary>
    public async Task WriteAsync(Action<SessionRecord> change)
    {
        await _writes.WaitAsync(CancellationToken.None).ConfigureAwait(true);
        try
        {
            change(record.State);
            await record.WriteStateAsync(CancellationToken.None).ConfigureAwait(true);
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>A write whose failure is logged, not thrown: the call it belongs to has happened; the next write carries it.</summary>
    public async Task TryWriteAsync(Action<SessionRecord> change)
    {
        try
        {
            await WriteAsync(change).ConfigureAwait(true);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            OrleansLog.RecordNotWritten(logger, ex, sessionId());
        }
    }

    /// <summary>The session closed: no record is left behind.</summary>
    public async Task ClearAsync()
    {
        await _writes.WaitAsync(CancellationToken.None).ConfigureAwait(true);
        try
        {
            await record.ClearStateAsync(CancellationToken.None).ConfigureAwait(true);
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>One of the session's newest events, kept for the next idle write (within <see cref="KeptEvents"/> and its bytes).</summary>
    public void Remember(SessionEvent e)
    {
        _recent.AddLast(e);
        _recentBytes += e.Data.Length;
        while (_recent.Count > 1 && (_recent.Count > KeptEvents || _recentBytes > KeptBytes))
        {
            _recentBytes -= _recent.First!.Value.Data.Length;
            _recent.RemoveFirst();
        }
    }

    /// <summary>
    /// A turn ended, or the session is let go: its rollout (the thread's history with it) and turns go into the record;
    /// when <paramref name="idle"/> (no turn runs or starts), the record is exact: the last id and the newest events.
    /// <paramref name="letGo"/>: this silo no longer holds it, another may resume it.
    /// </summary>
    public async Task KeepAsync(WebSessionState state, bool idle, bool letGo)
    {
        (string Path, byte[] Gzip)? rollout;
        try
        {
            rollout = rollouts.Read(state.ThreadId, record.State.RolloutPath);
        }
        catch (IOException ex)
        {
            OrleansLog.RolloutUnreadable(logger, ex, sessionId(), state.ThreadId);
            rollout = null;
        }

        var turns = JsonSerializer.Serialize(state.Turns.ToArray(), SessionJsonContext.Default.WebTurnSummaryArray);
        // The events the log has up to its last id, when the recorder has them all (consecutive, ending there).
        var kept = _recent.Count > 0 && _recent.Last!.Value.Id == state.LastEventId ? _recent.ToList() : [];
        await TryWriteAsync(r =>
        {
            r.ThreadId = state.ThreadId;
            r.Turns = turns;
            if (rollout is { } file)
            {
                r.RolloutPath = file.Path;
                r.Rollout = file.Gzip;
            }

            if (letGo)
            {
                r.Holder = null;
            }

            if (idle)
            {
                r.Busy = false;
                r.RunningTurnId = null;
                r.LastEventId = state.LastEventId;
                r.Events = kept;
                r.EventFloor = Math.Max(r.EventFloor, state.LastEventId);
            }
        }).ConfigureAwait(true);
    }

    /// <summary>
    /// What the record says to resume: idle at the last write, the ids end exactly there and the kept events are
    /// replayed to clients that reconnect within them (and remembered again here); busy, the ids may have gone on (a
    /// turn ran), so the log goes on after the reserve (clients reset) and the running turn is reported lost.
    /// </summary>
    public WebSessionResume Resume(string? threadId)
    {
        var state = record.State;
        var kept = state.Busy ? [] : state.Events ?? [];
        foreach (var e in kept)
        {
            Remember(e);
        }

        return new WebSessionResume(state.ArtifactId!, threadId, state.Busy ? state.EventFloor : state.LastEventId)
        {
            Model = state.Model,
            Turns = state.Turns is null ? [] : JsonSerializer.Deserialize(state.Turns, SessionJsonContext.Default.WebTurnSummaryArray) ?? [],
            LostTurnId = state.Busy ? state.RunningTurnId : null,
            RecentEvents = kept.Select(e => e.ToWeb()).ToArray(),
        };
    }
}
