using System.Collections.Immutable;

namespace CodexRuntime.Artifact.Storage;

/// <summary>
/// An artifact lock taken by <see cref="FsArtifactStore.LockAsync"/>, as known to the async flow that took it: store
/// calls made in that flow (and in work it starts) run under the held lock instead of waiting for it. An
/// <see cref="AsyncLocal{T}"/> map (folder to hold) marks the flow; the hold is a shared object whose state says
/// whether it is still held, so work that outlives the hold sees it ended and takes the lock like any other caller.
/// </summary>
internal sealed class FlowLock
{
    private const int Pending = 0;
    private const int Holding = 1;
    private const int Ended = 2;

    private static readonly AsyncLocal<ImmutableDictionary<string, FlowLock>?> Marks = new();

    private int _state = Pending;

    private FlowLock()
    {
    }

    /// <summary>
    /// One call of the holder at a time: the holding flow may fork (Task.Run, WhenAll), and a compare-and-swap save
    /// must still be alone on the files between its read and its writes.
    /// </summary>
    public SemaphoreSlim Calls { get; } = new(1, 1);

    /// <summary>True from <see cref="Acquired"/> until <see cref="EndAsync"/>.</summary>
    public bool IsHeld => Volatile.Read(ref _state) == Holding;

    /// <summary>
    /// Marks the calling flow as taking the folder's lock (not yet held). Call it from a method that is not
    /// <c>async</c>: a value an async method sets in an <see cref="AsyncLocal{T}"/> is undone when it returns to its
    /// caller, so the mark would never reach the flow that goes on to use the lock.
    /// </summary>
    public static FlowLock Mark(string folder)
    {
        var hold = new FlowLock();
        Marks.Value = (Marks.Value ?? ImmutableDictionary.Create<string, FlowLock>(StringComparer.Ordinal)).SetItem(folder, hold);
        return hold;
    }

    /// <summary>The folder's lock if the calling flow holds it now; null otherwise (never taken, still pending, failed or ended).</summary>
    public static FlowLock? HeldByThisFlow(string folder) =>
        Marks.Value is { } marks && marks.TryGetValue(folder, out var hold) && hold.IsHeld ? hold : null;

    /// <summary>The lock is held: the flow's calls run under it from now on.</summary>
    public void Acquired() => Volatile.Write(ref _state, Holding);

    /// <summary>
    /// Ends the hold before the lock is let go: the flow's later calls take the lock normally, and a holder call in
    /// progress finishes first (waited for at most <paramref name="timeout"/>).
    /// </summary>
    public async Task EndAsync(TimeSpan timeout)
    {
        Volatile.Write(ref _state, Ended);
        if (await Calls.WaitAsync(timeout).ConfigureAwait(false))
        {
            Calls.Release();
        }
    }
}
