using System.Collections.Concurrent;

namespace CodexRuntime.Web;

/// <summary>
/// The AG-UI threads of every tenant: a client's <c>threadId</c> is its own name for a conversation, kept per tenant,
/// so the same name from another tenant is simply another (unknown) thread. Each thread runs on one web session of
/// its tenant, opened on the thread's first run; held in memory like the sessions.
/// </summary>
internal sealed class AgUiThreads
{
    private readonly ConcurrentDictionary<(string Tenant, string ThreadId), AgUiThread> _threads = new();

    public AgUiThread? Find(string tenant, string threadId) => _threads.GetValueOrDefault((tenant, threadId));

    /// <summary>The tenant's threads that hold a session, the one used longest ago first.</summary>
    public IEnumerable<AgUiThread> Idlest(string tenant) =>
        _threads.Where(t => t.Key.Tenant == tenant && t.Value.SessionId is not null).Select(t => t.Value).OrderBy(t => t.LastUsed).ToArray();

    public AgUiThread GetOrAdd(string tenant, string threadId) => _threads.GetOrAdd((tenant, threadId), _ => new AgUiThread());

    /// <summary>Forgets a thread whose session could not be opened or is gone.</summary>
    public void Remove(string tenant, string threadId, AgUiThread thread) => _threads.TryRemove(new KeyValuePair<(string, string), AgUiThread>((tenant, threadId), thread));
}

/// <summary>
/// One AG-UI thread: its session, the client's tools it was opened with, and the runs, turns, messages and client
/// tool calls it has seen (bounded), for re-attaching and resuming.
/// </summary>
internal sealed class AgUiThread
{
    /// <summary>Runs and turns kept per thread for re-attaching; older ones are forgotten first.</summary>
    private const int KeptRuns = 64;

    /// <summary>User message ids kept per thread: a client's list that repeats older ones never sends them again.</summary>
    private const int KeptMessages = 1_000;

    private readonly RecentEntries<AgUiRun> _runs = new(KeptRuns);
    private readonly RecentEntries<long> _turnStarts = new(KeptRuns);
    private readonly RecentEntries<bool> _taken = new(KeptMessages);
    private readonly RecentEntries<bool> _clientCalls = new(KeptMessages);

    /// <summary>One run at a time decides what a thread does next (open its session, start a turn, answer interrupts).</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>The web session, while one is open (null before the first run, and after it was let go to make room).</summary>
    public string? SessionId { get; set; }

    /// <summary>The codex thread, once the first run opened it: a thread whose session was let go is resumed from it.</summary>
    public string? CodexThreadId { get; set; }

    /// <summary>
    /// The client's tools, as codex dynamic tools: those of the run that opened the thread (codex keeps a thread's
    /// tools; a resumed session has them without sending them again).
    /// </summary>
    public IReadOnlyList<Protocol.FunctionDynamicToolSpec> Tools { get; private set; } = [];

    /// <summary>The names of <see cref="Tools"/>: codex's calls of these are the client's to execute.</summary>
    public IReadOnlySet<string> ToolNames { get; private set; } = new HashSet<string>();

    /// <summary>When a run last used the thread (<see cref="Environment.TickCount64"/>): the idlest session makes room first.</summary>
    public long LastUsed { get; private set; }

    public void Touch() => LastUsed = Environment.TickCount64;

    /// <summary>Sets the client's tools of a new thread (under <see cref="Gate"/>, before its codex thread starts).</summary>
    public void Offer(IReadOnlyList<Protocol.FunctionDynamicToolSpec> tools)
    {
        Tools = tools;
        ToolNames = tools.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// Remembers a client tool call a run announced (codex's call id), so a tool message for it is known later, even
    /// once it is no longer waiting (answered, or its deadline passed).
    /// </summary>
    public void Announced(string callId) => _clientCalls.Set(callId, true);

    /// <summary>Whether a run of this thread announced the client tool call.</summary>
    public bool WasAnnounced(string callId) => _clientCalls.Contains(callId);

    /// <summary>Its session was let go (under <see cref="Gate"/>): the runs and turns it knew were in that session's log, which is gone.</summary>
    public void Released()
    {
        SessionId = null;
        _runs.Clear();
        _turnStarts.Clear();
    }

    public AgUiRun? Run(string runId) => _runs.GetValueOrDefault(runId);

    public void Remember(string runId, AgUiRun run) => _runs.Set(runId, run);

    /// <summary>Whether a user or tool message (by its id) was already sent to codex (a turn's input, a tool's result).</summary>
    public bool Taken(string messageId) => _taken.Contains(messageId);

    /// <summary>Remembers the user messages a turn took, or the tool messages that answered calls.</summary>
    public void Take(IEnumerable<string> messageIds)
    {
        foreach (var id in messageIds)
        {
            _taken.Set(id, true);
        }
    }

    /// <summary>Where a turn's events start in the session's log: the last event id before it started.</summary>
    public void TurnStarted(string turnId, long cursor) => _turnStarts.Set(turnId, cursor);

    /// <summary>The cursor a turn's events start after (0, the log's start, for a turn this thread did not start).</summary>
    public long TurnStart(string turnId) => _turnStarts.GetValueOrDefault(turnId);
}

/// <summary>What one run streams: the turn's events after <paramref name="Cursor"/>, silent until <paramref name="Answered"/> passed.</summary>
/// <param name="TurnId">The codex turn (null: a run with nothing to follow, only the snapshot).</param>
/// <param name="Cursor">The session log's event id the turn's events come after.</param>
/// <param name="Answered">The interrupts this run answered: what came before them was sent by the run they ended.</param>
internal sealed record AgUiRun(string? TurnId, long Cursor, IReadOnlyList<string> Answered);
