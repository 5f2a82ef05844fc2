using System.Runtime.CompilerServices;
using System.Threading.Channels;
using CodexRuntime.Protocol;

namespace CodexRuntime.Artifact;

/// <summary>
/// The progress of one task, between the task (one writer, which never waits) and one reader: at most
/// <c>capacity</c> reports wait for the reader; beyond that reports are dropped and counted, and the count is reported
/// (<see cref="ArtifactTaskProgressKind.ReportsLost"/>) before the next report that fits.
/// </summary>
/// <remarks>
/// Dropping instead of waiting because a UI's reader must never hold up (or, by throwing, fail) the task: the result
/// carries the whole answer, so a UI that lost deltas replaces its text with the result's. Dropping the newest (not the
/// oldest) keeps what the reader already has a prefix of the answer.
/// </remarks>
internal sealed class ArtifactProgressBuffer(string artifactId, int capacity)
{
    private readonly Channel<ArtifactTaskProgress> _channel = Channel.CreateUnbounded<ArtifactTaskProgress>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private int _queued;
    private long _lost;
    private int _read;
    private int _abandoned;
    private string? _turnId;

    /// <summary>The turn's reports, once: the reader of <see cref="ArtifactTaskRun.Progress"/>.</summary>
    public IAsyncEnumerable<ArtifactTaskProgress> Reader => new Once(this);

    /// <summary>The turn started.</summary>
    public void TurnStarted(string turnId)
    {
        _turnId = turnId;
        Write(new ArtifactTaskProgress(artifactId, ArtifactTaskProgressKind.TurnStarted, turnId));
    }

    /// <summary>Turns one event of the task's turn into a report (events a UI of a document task does not need are left out).</summary>
    public void Add(CodexTurnEvent e)
    {
        switch (e)
        {
            case MessageDeltaEvent delta:
                Write(new ArtifactTaskProgress(artifactId, ArtifactTaskProgressKind.TextDelta, _turnId) { Delta = delta.Delta, ItemId = delta.ItemId });
                break;
            case ItemStartedEvent started:
                Write(new ArtifactTaskProgress(artifactId, ArtifactTaskProgressKind.ItemStarted, _turnId) { Item = started.Item, ItemId = IdOf(started.Item) });
                break;
            case ItemCompletedEvent completed:
                Write(new ArtifactTaskProgress(artifactId, ArtifactTaskProgressKind.ItemCompleted, _turnId) { Item = completed.Item, ItemId = IdOf(completed.Item) });
                break;
            case EventsLostEvent lost:
                // codex's turn queue dropped deltas for us: the reader lost them just the same.
                _lost += lost.Count;
                break;
        }
    }

    /// <summary>No more reports: a count still owed is written (past the capacity: it is the last one), and the stream ends.</summary>
    public void Complete()
    {
        if (_lost > 0 && Volatile.Read(ref _abandoned) == 0)
        {
            _channel.Writer.TryWrite(Lost());
        }

        _channel.Writer.TryComplete();
    }

    private void Write(ArtifactTaskProgress report)
    {
        if (Volatile.Read(ref _abandoned) == 1)
        {
            return;
        }

        var room = capacity - Volatile.Read(ref _queued);
        if (room < (_lost > 0 ? 2 : 1))
        {
            _lost++;
            return;
        }

        if (_lost > 0)
        {
            Enqueue(Lost());
        }

        Enqueue(report);
    }

    private ArtifactTaskProgress Lost()
    {
        var report = new ArtifactTaskProgress(artifactId, ArtifactTaskProgressKind.ReportsLost, _turnId) { Lost = _lost };
        _lost = 0;
        return report;
    }

    private void Enqueue(ArtifactTaskProgress report)
    {
        Interlocked.Increment(ref _queued);
        _channel.Writer.TryWrite(report);
    }

    private static string? IdOf(ThreadItem item) => item switch
    {
        AgentMessageThreadItem a => a.Id,
        CommandExecutionThreadItem c => c.Id,
        PlanThreadItem p => p.Id,
        _ => null,
    };

    private async IAsyncEnumerable<ArtifactTaskProgress> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        try
        {
            while (await _channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (_channel.Reader.TryRead(out var report))
                {
                    Interlocked.Decrement(ref _queued);
                    yield return report;
                }
            }
        }
        finally
        {
            // A reader that left (break, exception, cancel) reads no more: stop queueing for it.
            Volatile.Write(ref _abandoned, 1);
            while (_channel.Reader.TryRead(out _))
            {
            }
        }
    }

    /// <summary>The stream, readable once.</summary>
    private sealed class Once(ArtifactProgressBuffer buffer) : IAsyncEnumerable<ArtifactTaskProgress>
    {
        public IAsyncEnumerator<ArtifactTaskProgress> GetAsyncEnumerator(CancellationToken cancellationToken = default)
        {
            if (Interlocked.Exchange(ref buffer._read, 1) == 1)
            {
                throw new InvalidOperationException("A task's progress can be read once; it is already being (or was) read.");
            }

            return buffer.ReadAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        }
    }
}
