namespace CodexRuntime.State;

/// <summary>
/// Who waits for which turn to end. Kept apart from the tracks: waiting on a turn that has not started yet must not
/// place it in its thread. Not thread-safe: the projection calls it under its lock.
/// </summary>
internal sealed class TurnWaiters
{
    private readonly Dictionary<string, TaskCompletionSource<CodexTurnSnapshot>> _waiters = new(StringComparer.Ordinal);

    /// <summary>The task that completes when <paramref name="turnId"/> ends; one per turn, shared by every waiter.</summary>
    public Task<CodexTurnSnapshot> For(string turnId)
    {
        if (!_waiters.TryGetValue(turnId, out var waiter))
        {
            waiter = new TaskCompletionSource<CodexTurnSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters[turnId] = waiter;
        }

        return waiter.Task;
    }

    /// <summary>Removes the waiter of an ended turn; the caller completes it outside the lock.</summary>
    public TaskCompletionSource<CodexTurnSnapshot>? Take(string turnId) => _waiters.Remove(turnId, out var waiter) ? waiter : null;

    /// <summary>Removes every waiter (each is for a turn that has not ended: ended turns took theirs).</summary>
    public List<TaskCompletionSource<CodexTurnSnapshot>> TakeAll()
    {
        List<TaskCompletionSource<CodexTurnSnapshot>> all = [.. _waiters.Values];
        _waiters.Clear();
        return all;
    }
}
