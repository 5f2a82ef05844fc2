namespace CodexRuntime.Web;

/// <summary>
/// The newest <c>capacity</c> entries by key, the oldest forgotten first, so what a thread remembers per run, turn or
/// message stays bounded however long it lives. Safe to use from several requests at once.
/// </summary>
internal sealed class RecentEntries<TValue>(int capacity)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, TValue> _entries = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public bool Contains(string key)
    {
        lock (_lock)
        {
            return _entries.ContainsKey(key);
        }
    }

    public TValue? GetValueOrDefault(string key)
    {
        lock (_lock)
        {
            return _entries.GetValueOrDefault(key);
        }
    }

    /// <summary>Adds an entry, or replaces the value of a key already kept (which keeps its place in the order).</summary>
    public void Set(string key, TValue value)
    {
        lock (_lock)
        {
            if (_entries.TryAdd(key, value))
            {
                _order.Enqueue(key);
                if (_order.Count > capacity)
                {
                    _entries.Remove(_order.Dequeue());
                }
            }
            else
            {
                _entries[key] = value;
            }
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _entries.Clear();
            _order.Clear();
        }
    }
}
