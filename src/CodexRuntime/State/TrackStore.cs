using System.Diagnostics.CodeAnalysis;

namespace CodexRuntime.State;

/// <summary>
/// The threads, turns and items the projection keeps, bounded by <see cref="CodexStateOptions"/>: finding or adding a
/// track, and forgetting the oldest completed turns and least recently active threads beyond the limits (never one
/// with a running turn). Not thread-safe: the projection calls it under its lock.
/// </summary>
internal sealed class TrackStore
{
    private readonly CodexStateOptions _options;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, ThreadTrack> _threads = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TurnTrack> _turns = new(StringComparer.Ordinal);
    // Keyed by turn and item: item ids are only unique within a turn (scripted models reuse them).
    private readonly Dictionary<(string TurnId, string ItemId), ItemTrack> _items = new();
    // Ended turns that trimming forgot, still answered by WaitForTurnAsync (the newest ForgottenEndedKept): with more
    // threads than MaxThreads, a turn's watcher can ask after its idle thread was trimmed, and would wait forever.
    private readonly Dictionary<string, CodexTurnSnapshot> _forgottenEnded = new(StringComparer.Ordinal);
    private readonly Queue<string> _forgottenOrder = new();
    private ItemTrack? _lastDeltaItem;
    private long _activity;

    /// <summary>How many forgotten ended turns stay answerable.</summary>
    internal const int ForgottenEndedKept = 1024;

    /// <param name="options">Limits.</param>
    /// <param name="time">Stamps when a turn was first seen.</param>
    public TrackStore(CodexStateOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
    }

    /// <summary>Every thread kept, in no particular order.</summary>
    public IEnumerable<ThreadTrack> Threads => _threads.Values;

    /// <summary>Turns kept that have not ended.</summary>
    public IEnumerable<TurnTrack> RunningTurns => _turns.Values.Where(t => t.CompletedAt is null);

    /// <summary>A turn kept under <paramref name="turnId"/>, if any.</summary>
    public bool TryGetTurn(string turnId, [NotNullWhen(true)] out TurnTrack? turn) => _turns.TryGetValue(turnId, out turn);

    /// <summary>An ended turn that trimming forgot (one of the newest <see cref="ForgottenEndedKept"/>): its last snapshot.</summary>
    public bool TryGetForgottenEnded(string turnId, [NotNullWhen(true)] out CodexTurnSnapshot? snapshot) => _forgottenEnded.TryGetValue(turnId, out snapshot);

    /// <summary>True when the turn has an item <paramref name="itemId"/>.</summary>
    public bool HasItem(string turnId, string itemId) => _items.ContainsKey((turnId, itemId));

    /// <summary>The thread, added when new (which may forget another); marks it as the most recently active.</summary>
    public ThreadTrack Thread(string threadId)
    {
        if (_threads.TryGetValue(threadId, out var thread))
        {
            thread.LastActivity = ++_activity;
            return thread;
        }

        // Active before trimming, and never its own victim: the thread that just arrived is the one being used.
        thread = new ThreadTrack(threadId) { LastActivity = ++_activity };
        _threads[threadId] = thread;
        TrimThreads(thread);
        return thread;
    }

    /// <summary>The turn, added to its thread when new (which may forget an older completed turn).</summary>
    public TurnTrack Turn(string threadId, string turnId)
    {
        if (!_turns.TryGetValue(turnId, out var turn))
        {
            turn = new TurnTrack(turnId, threadId, _time.GetUtcNow(), _options.MaxDiffBytes);
            _turns[turnId] = turn;
            var thread = Thread(threadId);
            thread.Turns.Add(turn);
            TrimTurns(thread);
        }
        else
        {
            Thread(threadId);
        }

        return turn;
    }

    /// <summary>The item of a turn, added (with its turn and thread) when new.</summary>
    public ItemTrack Item(string threadId, string turnId, string itemId) =>
        _items.TryGetValue((turnId, itemId), out var known) ? known : AddItem(Turn(threadId, turnId), itemId);

    /// <summary>
    /// The item a delta is for. Deltas of one item come in runs, and the classifier hands out the same string instance
    /// for a repeated id, so the last item is checked by reference before any lookup.
    /// </summary>
    public ItemTrack DeltaItem(string threadId, string turnId, string itemId)
    {
        var item = _lastDeltaItem is { } last && ReferenceEquals(last.Id, itemId) && ReferenceEquals(last.TurnId, turnId) ? last : null;
        // A delta before item/started (or after the item was forgotten): track it from here.
        item ??= Item(threadId, turnId, itemId);
        _lastDeltaItem = item;
        return item;
    }

    /// <summary>Adds an item to a turn.</summary>
    public ItemTrack AddItem(TurnTrack turn, string itemId)
    {
        var item = new ItemTrack(turn.Id, itemId, _options.MaxItemTextBytes);
        turn.Items.Add(item);
        _items[(turn.Id, itemId)] = item;
        return item;
    }

    /// <summary>Forgets the oldest completed turns of a thread beyond the limit (a running turn is never forgotten).</summary>
    public void TrimTurns(ThreadTrack thread)
    {
        while (thread.Turns.Count > _options.MaxTurnsPerThread)
        {
            var oldest = thread.Turns.FirstOrDefault(t => t.CompletedAt is not null);
            if (oldest is null)
            {
                return;
            }

            Forget(oldest);
            thread.Turns.Remove(oldest);
            thread.ForgottenTurns++;
        }
    }

    /// <summary>Forgets the least recently active threads beyond the limit, skipping threads with a running turn and <paramref name="added"/>.</summary>
    private void TrimThreads(ThreadTrack added)
    {
        while (_threads.Count > _options.MaxThreads)
        {
            var victim = _threads.Values
                .Where(t => !ReferenceEquals(t, added) && t.Turns.TrueForAll(turn => turn.CompletedAt is not null))
                .MinBy(t => t.LastActivity);
            if (victim is null)
            {
                return;
            }

            foreach (var turn in victim.Turns)
            {
                Forget(turn);
            }

            _threads.Remove(victim.Id);
        }
    }

    private void Forget(TurnTrack turn)
    {
        if (turn.CompletedAt is not null && _forgottenEnded.TryAdd(turn.Id, turn.ToSnapshot()))
        {
            _forgottenOrder.Enqueue(turn.Id);
            if (_forgottenOrder.Count > ForgottenEndedKept)
            {
                _forgottenEnded.Remove(_forgottenOrder.Dequeue());
            }
        }

        _turns.Remove(turn.Id);
        foreach (var item in turn.Items)
        {
            _items.Remove((turn.Id, item.Id));
        }

        _lastDeltaItem = null;
    }
}
