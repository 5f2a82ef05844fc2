using System.Runtime.CompilerServices;

namespace CodexRuntime.Automation;

/// <summary>
/// The finished runs of one automation, newest <see cref="Capacity"/> kept, for any number of readers: each reader
/// has its own cursor over the same list, so no reader takes a run from another (and none can miss one by
/// subscribing late).
/// </summary>
internal sealed class AutomationRunLog
{
    /// <summary>How many runs are kept for readers that start late.</summary>
    public const int Capacity = 1000;

    private readonly Lock _gate = new();
    private readonly List<AutomationRun> _runs = [];
    private long _dropped;
    private bool _completed;
    private TaskCompletionSource _changed = NewSignal();

    public void Add(AutomationRun run)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _runs.Add(run);
            if (_runs.Count > Capacity)
            {
                _runs.RemoveAt(0);
                _dropped++;
            }

            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
    }

    /// <summary>No more runs come: readers end after the last one.</summary>
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

    public async IAsyncEnumerable<AutomationRun> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long next = 0;
        while (true)
        {
            AutomationRun[] batch;
            Task changed;
            bool completed;
            lock (_gate)
            {
                next = Math.Max(next, _dropped);
                batch = _runs.Skip((int)(next - _dropped)).ToArray();
                next += batch.Length;
                changed = _changed.Task;
                completed = _completed;
            }

            foreach (var run in batch)
            {
                yield return run;
            }

            if (batch.Length == 0)
            {
                if (completed)
                {
                    yield break;
                }

                await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
