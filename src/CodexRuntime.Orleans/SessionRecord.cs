using Orleans;

namespace CodexRuntime.Orleans;

/// <summary>
/// What a session's grain keeps in grain storage, so the session outlives its silo: enough for another silo to resume
/// its codex thread with its history and go on with its event ids. Written when the session opens, when a turn starts
/// and ends, when the event ids pass the reserved floor, and when a stopping silo lets the session go.
/// </summary>
[GenerateSerializer, Alias("CodexRuntime.Orleans.SessionRecord")]
internal sealed class SessionRecord
{
    /// <summary>The tenant the session is; null while no session was opened under the key.</summary>
    [Id(0)]
    public string? Tenant { get; set; }

    [Id(1)]
    public string? ArtifactId { get; set; }

    [Id(2)]
    public string? Model { get; set; }

    /// <summary>The codex thread (it changes when a session with no kept history is opened again on a new thread).</summary>
    [Id(3)]
    public string? ThreadId { get; set; }

    /// <summary>
    /// Every event id the session used is at most this: written ahead of the log (the id at the write plus a reserve)
    /// before a turn starts and while it runs, so a session resumed after its silo died during a turn goes on after it
    /// and never uses an id twice.
    /// </summary>
    [Id(4)]
    public long EventFloor { get; set; }

    /// <summary>The turn running at the last write (null when none, or while its start was not answered yet).</summary>
    [Id(5)]
    public string? RunningTurnId { get; set; }

    /// <summary>
    /// A turn was starting or running at the last write: the log's ids may have gone past <see cref="LastEventId"/>,
    /// so a resumed session goes on after <see cref="EventFloor"/> (clients reset). False: the session was idle, its
    /// ids end at <see cref="LastEventId"/> exactly, and a resumed session goes on from there with
    /// <see cref="Events"/> kept (clients replayed).
    /// </summary>
    [Id(10)]
    public bool Busy { get; set; }

    /// <summary>The log's last id at the last write while idle.</summary>
    [Id(11)]
    public long LastEventId { get; set; }

    /// <summary>The log's newest events at the last write while idle (consecutive, ending at <see cref="LastEventId"/>).</summary>
    [Id(12)]
    public List<SessionEvent>? Events { get; set; }

    /// <summary>
    /// The silo that holds the session (its address), null once a stopping silo let it go: while that silo is in the
    /// cluster, no other silo resumes the session (a call meanwhile is told to retry), so it never runs twice.
    /// </summary>
    [Id(13)]
    public string? Holder { get; set; }

    /// <summary>The rollout's path under CODEX_HOME (<c>sessions/YYYY/MM/DD/rollout-…-{thread}.jsonl</c>).</summary>
    [Id(6)]
    public string? RolloutPath { get; set; }

    /// <summary>The rollout as of the last ended turn, gzip-compressed.</summary>
    [Id(7)]
    public byte[]? Rollout { get; set; }

    /// <summary>The session's turns as its state showed them (<c>WebTurnSummary[]</c> as JSON).</summary>
    [Id(8)]
    public string? Turns { get; set; }

    /// <summary>How many times the session was resumed on another silo.</summary>
    [Id(9)]
    public int Moves { get; set; }
}
