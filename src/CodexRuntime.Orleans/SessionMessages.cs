using CodexRuntime.Web;
using Orleans;

namespace CodexRuntime.Orleans;

/// <summary>A session opened on its silo: the codex thread it runs.</summary>
/// <param name="ThreadId">The codex thread.</param>
[GenerateSerializer, Immutable, Alias("CodexRuntime.Orleans.SessionOpened")]
internal sealed record SessionOpened([property: Id(0)] string ThreadId);

/// <summary>A turn started on the session's silo.</summary>
/// <param name="TurnId">The turn.</param>
/// <param name="LastEventId">The session's last event id when it started.</param>
[GenerateSerializer, Immutable, Alias("CodexRuntime.Orleans.SessionTurn")]
internal sealed record SessionTurn([property: Id(0)] string TurnId, [property: Id(1)] long LastEventId)
{
    public WebTurnStarted ToWeb() => new(TurnId, LastEventId);
}

/// <summary>
/// One event of a session's log on its way to another silo's SSE client (a <see cref="WebEvent"/>, whose SSE frame is
/// formatted again there, once per event per receiving client).
/// </summary>
/// <param name="Id">The session's sequence number.</param>
/// <param name="Kind">The event's kind.</param>
/// <param name="Data">The event's JSON.</param>
[GenerateSerializer, Immutable, Alias("CodexRuntime.Orleans.SessionEvent")]
internal sealed record SessionEvent([property: Id(0)] long Id, [property: Id(1)] string Kind, [property: Id(2)] string Data)
{
    public static SessionEvent From(WebEvent e) => new(e.Id, e.Kind, e.Data);

    public WebEvent ToWeb() => new(Id, Kind, Data);
}
