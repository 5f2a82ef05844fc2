namespace CodexRuntime.Web.Sessions;

/// <summary>
/// A session's events in order, with the newest <c>capacity</c> kept for reconnects. Every reader reads the same log
/// from its own cursor (no queue per client, so 1,000 browsers cost 1,000 cursors, not 1,000 copies); a reader whose
/// cursor fell out of the kept window is told to reset.
/// </summary>
internal sealed class EventLog(int capacity)
{
    private readonly Lock _gate = new();
    private readonly WebEvent[] _ring = new WebEvent[capacity];
    private long _last; // id of the newest event; ids start at 1
    private bool _completed;
    private TaskCompletionSource _changed = NewSignal();

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

    /// <summary>Appends an event; wakes every waiting reader.</summary>
    /// <returns>Its id.</returns>
    public long Append(string kind, string data)
    {
        TaskCompletionSource changed;
        long id;
        lock (_gate)
        {
            if (_completed)
            {
                return _last;
            }

            id = ++_last;
            _ring[id % capacity] = new WebEvent(id, kind, data);
            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
        return id;
    }

    /// <summary>No more events: readers end after what is kept.</summary>
    public void Complete()
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _completed = true;
            changed = _changed;
        }

        changed.TrySetResult();
    }

    /// <summary>
    /// The kept events after <paramref name="cursor"/>. <c>Reset</c> is true when events after the cursor are no longer
    /// kept (the reader should reload and go on from <c>LastId</c>). <c>Changed</c> completes when there is more.
    /// </summary>
    public (IReadOnlyList<WebEvent> Events, bool Reset, bool Completed, long LastId, Task Changed) ReadAfter(long cursor)
    {
        lock (_gate)
        {
            var oldest = Math.Max(1, _last - capacity + 1);
            if (cursor > _last)
            {
                // A cursor from the future (another server, a forged header): treat it as "start over".
                return ([], true, _completed, _last, _changed.Task);
            }

            if (cursor + 1 < oldest)
            {
                return ([], true, _completed, _last, _changed.Task);
            }

            var events = new List<WebEvent>((int)Math.Min(_last - cursor, capacity));
            for (var id = cursor + 1; id <= _last; id++)
            {
                events.Add(_ring[id % capacity]);
            }

            return (events, false, _completed, _last, _changed.Task);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
