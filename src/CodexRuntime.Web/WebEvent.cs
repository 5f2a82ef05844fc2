namespace CodexRuntime.Web;

/// <summary>
/// One event of a web session, as its Server-Sent Events stream sends it: <c>id:</c> <see cref="Id"/> (a sequence
/// per session, from 1), <c>event:</c> <see cref="Kind"/>, <c>data:</c> <see cref="Data"/> (JSON).
/// </summary>
/// <param name="Id">The session's sequence number; a reconnect with <c>Last-Event-ID: Id</c> continues after it.</param>
/// <param name="Kind">
/// <c>turnStarted</c>, <c>delta</c>, <c>itemStarted</c>, <c>itemCompleted</c>, <c>commandOutput</c>,
/// <c>fileChangeOutput</c>, <c>plan</c>, <c>diff</c>, <c>usage</c>, <c>approval</c>, <c>approvalResolved</c>,
/// <c>retrying</c>, <c>warning</c>, <c>eventsLost</c>, <c>turnCompleted</c>, <c>sessionClosed</c>; and <c>reset</c>
/// when a reconnect asked for events no longer kept (reload the session state, then go on from this id).
/// </param>
/// <param name="Data">The event's JSON.</param>
public sealed record WebEvent(long Id, string Kind, string Data);
