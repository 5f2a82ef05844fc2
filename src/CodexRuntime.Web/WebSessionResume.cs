namespace CodexRuntime.Web;

/// <summary>
/// A session to open again on this server after it ran on another (a scaled-out app moving a session off a replica
/// that stopped or died): the codex thread to resume, where its event ids go on from, the turns its state shows, and
/// the turn that was running when the other server went away.
/// </summary>
/// <param name="ArtifactId">The artifact the session works on.</param>
/// <param name="ThreadId">The codex thread (this server's codex must have its rollout in CODEX_HOME/sessions first), or null for a new thread (the session had no turn whose history was kept).</param>
/// <param name="LastEventId">
/// Every event id the session used so far is at most this; the resumed log goes on after it (a client whose
/// <c>Last-Event-ID</c> is older gets one <c>reset</c>, never an id twice).
/// </param>
public sealed record WebSessionResume(string ArtifactId, string? ThreadId, long LastEventId)
{
    /// <summary>The model the session was opened with, when it named one.</summary>
    public string? Model { get; init; }

    /// <summary>The session's turns so far, as its state showed them (oldest first).</summary>
    public IReadOnlyList<WebTurnSummary> Turns { get; init; } = [];

    /// <summary>
    /// The session's newest events (consecutive ids ending at <see cref="LastEventId"/>), kept again: a client that
    /// reconnects with a <c>Last-Event-ID</c> among them is replayed the rest, not reset. Empty when the ids went on
    /// past what was kept (a server that died during a turn): every client is reset.
    /// </summary>
    public IReadOnlyList<WebEvent> RecentEvents { get; init; } = [];

    /// <summary>
    /// The turn that was running when the session's server went away: the resumed session reports it failed (its
    /// state, and a <c>turnCompleted</c> event with status <c>failed</c> as the log's first event).
    /// </summary>
    public string? LostTurnId { get; init; }
}
