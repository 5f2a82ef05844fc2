namespace CodexRuntime.Web;

/// <summary>
/// One event of a web session, as its Server-Sent Events stream sends it: <c>id:</c> <see cref="Id"/> (a sequence
/// per session, from 1), <c>event:</c> <see cref="Kind"/>, <c>data:</c> <see cref="Data"/> (JSON).
/// </summary>
/// <param name="Id">The session's sequence number; a reconnect with <c>Last-Event-ID: Id</c> continues after it.</param>
/// <param name="Kind">
/// <c>turnStarted</c>, <c>delta</c>, <c>itemStarted</c>, <c>itemCompleted</c>, <c>commandOutput</c>,
/// <c>fileChangeOutput</c>, <c>plan</c>, <c>diff</c>, <c>usage</c>, <c>approval</c>, <c>approvalResolved</c>,
/// <c>retrying</c>, <c>warning</c>, <c>eventsLost</c>, <c>turnCompleted</c>, <c>sessionClosed</c>; and two that are not
/// in the session's log but said to one client:
/// <c>reset</c> when the events after the client's cursor are no longer kept (its id is the newest event's; its data
/// <c>{ "lastEventId", "reason", "turn": { "turnId", "status" } | null }</c> says the newest turn's outcome, or
/// <c>inProgress</c> while it runs: reload the session state, then go on from this id), and
/// <c>end</c>, the last event of a stream, before it closes (on the wire without an <c>id:</c>, so it never moves
/// <c>Last-Event-ID</c>; here its id is the client's last; its data <c>{ "reason": "sessionClosed" | "serverStopping" }</c>).
/// </param>
/// <param name="Data">The event's JSON (one line).</param>
public sealed record WebEvent(long Id, string Kind, string Data)
{
    private byte[]? _frame;

    /// <summary>
    /// The event's SSE frame in UTF-8 (<c>id: …\nevent: …\ndata: …\n\n</c>), formatted once: the session log formats it
    /// when the event is appended, and every client writes these same bytes.
    /// </summary>
    internal ReadOnlyMemory<byte> Frame => _frame ??= Sessions.SseFrame.Format(Id, Kind, Data);

    /// <summary>Equal when id, kind and data are (the cached frame is not part of the value).</summary>
    /// <param name="other">The other event.</param>
    /// <returns>Whether they are the same event.</returns>
    public bool Equals(WebEvent? other) => other is not null && Id == other.Id && Kind == other.Kind && Data == other.Data;

    /// <summary>The hash of id, kind and data.</summary>
    /// <returns>The hash.</returns>
    public override int GetHashCode() => HashCode.Combine(Id, Kind, Data);
}
