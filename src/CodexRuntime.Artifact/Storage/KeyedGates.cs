namespace CodexRuntime.Artifact.Storage;

/// <summary>
/// One gate (a <see cref="SemaphoreSlim"/> of one) per key, kept only while somebody uses it: a caller rents the gate
/// before it waits and returns it after it released it, and the gate leaves the map when the last renter returned it.
/// </summary>
/// <remarks>
/// The count and the map change under one lock, so a gate is removed only when no caller holds a reference to it:
/// a waiter has rented it before waiting, so the holder's return cannot remove it from under the waiter (the classic
/// bug of a dictionary of semaphores pruned on release, where a second caller then creates a new semaphore and two
/// callers are "inside" at once). The lock is held for a dictionary lookup only, never while waiting.
/// </remarks>
internal sealed class KeyedGates
{
    private readonly Dictionary<string, Gate> _gates = new(StringComparer.Ordinal);
    private readonly Lock _sync = new();

    /// <summary>How many gates exist (each has at least one renter: a holder or a waiter).</summary>
    public int Count
    {
        get
        {
            lock (_sync)
            {
                return _gates.Count;
            }
        }
    }

    /// <summary>How many gates exist whose key matches <paramref name="predicate"/>.</summary>
    public int CountWhere(Func<string, bool> predicate)
    {
        lock (_sync)
        {
            return _gates.Keys.Count(predicate);
        }
    }

    /// <summary>The key's gate, counted as used until <see cref="Gate.Return"/>; call that exactly once, after releasing the semaphore if it was entered.</summary>
    public Gate Rent(string key)
    {
        lock (_sync)
        {
            if (!_gates.TryGetValue(key, out var gate))
            {
                gate = new Gate(this, key);
                _gates.Add(key, gate);
            }

            gate.Renters++;
            return gate;
        }
    }

    /// <summary>One key's gate and how many callers hold or wait for it.</summary>
    internal sealed class Gate(KeyedGates owner, string key)
    {
        /// <summary>The gate itself: one holder at a time.</summary>
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        /// <summary>Renters not yet returned; changed only under the owner's lock.</summary>
        internal int Renters { get; set; }

        /// <summary>Gives the gate back; the last renter removes it from the map.</summary>
        public void Return()
        {
            lock (owner._sync)
            {
                if (--Renters == 0)
                {
                    // No holder and no waiter has a reference: a later Rent creates a fresh gate, which is then the only one.
                    owner._gates.Remove(key);
                }
            }
        }
    }
}
