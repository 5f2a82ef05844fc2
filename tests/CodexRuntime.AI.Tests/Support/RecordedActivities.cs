using System.Collections.Concurrent;
using System.Diagnostics;

namespace CodexRuntime.AI.Tests.Support;

/// <summary>The activities of one <see cref="ActivitySource"/> (by name), recorded when they stop, until disposed.</summary>
internal sealed class RecordedActivities : IDisposable
{
    private readonly ConcurrentBag<Activity> _stopped = [];
    private readonly ActivityListener _listener;

    public RecordedActivities(string sourceName)
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == sourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Add,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IReadOnlyCollection<Activity> Stopped => _stopped.ToArray();

    public void Dispose() => _listener.Dispose();
}
