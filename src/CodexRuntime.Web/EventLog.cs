namespace CodexRuntime.Web;

/// <summary>
/// A session's events in order, the newest kept for reconnects (at most <c>maxEvents</c> events and
/// <c>maxBytes</c> bytes of SSE frames, always at least the newest event). Every reader reads the same log from its own
/// cursor (no queue per client, so 1,000 browsers cost 1,000 cursors, not 1,000 copies); an event is formatted as its
/// SSE frame once, when appended, and that frame is what every client writes. A reader whose cursor fell out of the
/// kept window is told to reset.
/// </summary>
/// <remarks>
/// <see cref="Append"/> is O(1) (amortized: the ring doubles until it reaches its limits) and never waits on readers:
/// the turn's pump calls it for every codex event. Waking readers is coalesced: the pump only arms one wake-up, and a
/// wake-up is one work item that runs the waiting readers one after another (each reads everything there is and
/// writes it as one batch, through the adapter's <see cref="Sessions.DeliveryPacer"/>), at most once per
/// <see cref="WakeInterval"/>. Waking 1,000 readers on every event (one signal per
/// append, asynchronous continuations) queued 1,000 thread-pool items per delta ahead of the pump and of the
/// connection reading codex's output: the turn read codex's deltas 13x slower.
/// </remarks>
internal sealed class EventLog : IDisposable
{
    /// <summary>
    /// The shortest time between two wake-ups of the readers while events keep coming (the first event after a quiet
    /// spell wakes them at once). It bounds the added latency of an event, and makes each client write a batch of
    /// frames per wake instead of one frame per event.
    /// </summary>
    internal static readonly TimeSpan WakeInterval = TimeSpan.FromMilliseconds(10);

    private readonly Lock _gate = new();
    private readonly int _maxEvents;
    private readonly long _maxBytes;
    private readonly TimeProvider _time;
    private readonly ITimer _wake;
    private WebEvent[] _ring = new WebEvent[16];
    private long _first = 1; // id of the oldest kept event
    private long _last; // id of the newest event; ids start at 1
    private long _bytes; // the kept frames' size
    private string? _completed; // why no more events come (sessionClosed, serverStopping)
    private WebTurnMark? _turn;
    private TaskCompletionSource _changed = NewSignal();
    private bool _wakeArmed;
    private long _lastWake;

    /// <summary>Creates the log.</summary>
    /// <param name="maxEvents">The most events kept.</param>
    /// <param name="maxBytes">The most bytes of SSE frames kept (the newest event is kept whatever its size).</param>
    /// <param name="time">The clock of the coalesced wake-ups.</param>
    /// <param name="startAfter">
    /// The id the log goes on after (0 for a new session): a session resumed on another server continues its ids, and
    /// a cursor before the kept events is told to reset, as for events no longer kept.
    /// </param>
    /// <param name="kept">
    /// The resumed session's newest events, kept again so a client that reconnects within them is replayed, not reset:
    /// consecutive ids ending at <paramref name="startAfter"/> (anything else is not kept).
    /// </param>
    /// <param name="turn">The resumed session's newest turn, for a <c>reset</c> before its next turn event.</param>
    public EventLog(int maxEvents, long maxBytes, TimeProvider? time = null, long startAfter = 0, IReadOnlyList<WebEvent>? kept = null, WebTurnMark? turn = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(startAfter);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEvents);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        _maxEvents = maxEvents;
        _maxBytes = maxBytes;
        _time = time ?? TimeProvider.System;
        _first = startAfter + 1;
        _last = startAfter;
        _turn = turn;
        if (kept is { Count: > 0 } && kept[^1].Id == startAfter && kept.Select((e, i) => e.Id - i).Distinct().Count() == 1)
        {
            _first = kept[0].Id;
            _last = kept[0].Id - 1;
            foreach (var e in kept)
            {
                _last = e.Id;
                Store(e);
            }
        }

        _wake = _time.CreateTimer(static state => ((EventLog)state!).Wake(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The id of the newest event (0 before the first).</summary>
    public long LastId
    {
        get
        {
            lock (_gate)
            {
                return _last;
            }
        }
    }

    /// <summary>The kept events' count and their frames' size in bytes.</summary>
    public (int Events, long Bytes) Kept
    {
        get
        {
            lock (_gate)
            {
                return ((int)(_last - _first + 1), _bytes);
            }
        }
    }

    /// <summary>Appends an event (formats its SSE frame once, here); readers are woken soon, never waited for.</summary>
    /// <param name="kind">The event's kind.</param>
    /// <param name="data">Its JSON.</param>
    /// <param name="turn">The newest turn as it is after this event (for a <c>reset</c>), when this event changes it.</param>
    /// <returns>Its id.</returns>
    public long Append(string kind, string data, WebTurnMark? turn = null)
    {
        bool arm;
        TimeSpan due;
        long id;
        lock (_gate)
        {
            if (_completed is not null)
            {
                return _last;
            }

            id = ++_last;
            var e = new WebEvent(id, kind, data);
            Store(e);
            if (turn is not null)
            {
                _turn = turn;
            }

            arm = !_wakeArmed;
            _wakeArmed = true;
            var sinceWake = _time.GetElapsedTime(_lastWake);
            due = sinceWake >= WakeInterval ? TimeSpan.Zero : WakeInterval - sinceWake;
        }

        if (arm)
        {
            // One timer for all readers: the pump pays for arming it, not for waking each reader.
            _wake.Change(due, Timeout.InfiniteTimeSpan);
        }

        return id;
    }

    /// <summary>No more events: readers end after what is kept, with <paramref name="reason"/>.</summary>
    /// <param name="reason"><c>sessionClosed</c> or <c>serverStopping</c>.</param>
    public void Complete(string reason)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            if (_completed is not null)
            {
                return;
            }

            _completed = reason;
            changed = _changed;
        }

        _wake.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        // The readers' last batches run where the signal is set: not on the closing caller's thread.
        ThreadPool.UnsafeQueueUserWorkItem(static signal => signal.TrySetResult(), changed, preferLocal: false);
    }

    /// <summary>
    /// Copies the kept events after <paramref name="cursor"/> (at most <paramref name="into"/>'s capacity) into
    /// <paramref name="into"/> (cleared first; the caller's own buffer, reused, so a read allocates nothing).
    /// <c>Reset</c> is true when events after the cursor are no longer kept (the reader should reload and go on from
    /// <c>LastId</c>; <c>Turn</c> is the newest turn then). <c>Completed</c> is why the log ended (null while open).
    /// <c>Changed</c> completes when there is more.
    /// </summary>
    public EventRead ReadAfter(long cursor, List<WebEvent> into)
    {
        into.Clear();
        lock (_gate)
        {
            // A cursor from the future (another server, a forged header) is treated as "start over"; so is any cursor
            // of a resumed log before its first event (0 included).
            if (cursor > _last || cursor + 1 < _first)
            {
                return new EventRead(true, _completed, _last, _turn, _changed.Task);
            }

            var end = Math.Min(_last, cursor + Math.Max(1, into.Capacity));
            for (var id = cursor + 1; id <= end; id++)
            {
                into.Add(_ring[id & (_ring.Length - 1)]);
            }

            return new EventRead(false, end == _last ? _completed : null, _last, _turn, _changed.Task);
        }
    }

    /// <summary>Stops the wake-up timer.</summary>
    public void Dispose() => _wake.Dispose();

    private void Store(WebEvent e)
    {
        if (_last - _first + 1 > _ring.Length)
        {
            Grow();
        }

        _ring[e.Id & (_ring.Length - 1)] = e;
        _bytes += e.Frame.Length;
        while (_first < _last && (_last - _first + 1 > _maxEvents || _bytes > _maxBytes))
        {
            ref var oldest = ref _ring[_first & (_ring.Length - 1)];
            _bytes -= oldest.Frame.Length;
            oldest = null!; // the ring lets go of what it no longer keeps
            _first++;
        }
    }

    /// <summary>Doubles the ring (a power of two, so an id's slot is a mask); until the limits are reached.</summary>
    private void Grow()
    {
        var bigger = new WebEvent[_ring.Length * 2];
        for (var id = _first; id < _last; id++)
        {
            bigger[id & (bigger.Length - 1)] = _ring[id & (_ring.Length - 1)];
        }

        _ring = bigger;
    }

    private void Wake()
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            changed = _changed;
            _changed = NewSignal();
            _wakeArmed = false;
        }

        // The waiting readers run here, one after another (synchronous continuations), each up to its writer slot
        // (the pacer decides when it writes, so the pump keeps priority).
        changed.TrySetResult();
        lock (_gate)
        {
            _lastWake = _time.GetTimestamp();
        }
    }

    // Synchronous continuations: a wake-up is one work item (the timer's) that runs the waiting readers one after
    // another, each writing its batch, instead of one thread-pool item per reader. 1,000 items per wake-up queued
    // ahead of every step of the turn's pump and of the connection reading codex's output (900 waiting at a time).
    private static TaskCompletionSource NewSignal() => new();
}

/// <summary>What <see cref="EventLog.ReadAfter"/> found besides the events.</summary>
/// <param name="Reset">The events after the cursor are no longer kept.</param>
/// <param name="Completed">Why the log ended, once the reader has everything (null while open or more is to read).</param>
/// <param name="LastId">The newest event's id.</param>
/// <param name="Turn">The newest turn as of <paramref name="LastId"/>.</param>
/// <param name="Changed">Completes when there is more (or the log ends).</param>
internal readonly record struct EventRead(bool Reset, string? Completed, long LastId, WebTurnMark? Turn, Task Changed);

/// <summary>The newest turn of a session as a <c>reset</c> tells it: its id and status (<c>inProgress</c> while it runs).</summary>
/// <param name="TurnId">The turn.</param>
/// <param name="Status"><c>inProgress</c>, <c>completed</c>, <c>interrupted</c> or <c>failed</c>.</param>
internal sealed record WebTurnMark(string TurnId, string Status);
