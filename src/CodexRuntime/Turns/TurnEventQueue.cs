using System.Threading.Channels;
using CodexRuntime.Protocol.Names;
using CodexRuntime.Routing;
using CodexRuntime.Rpc;
using CodexRuntime.ServerRequests;

namespace CodexRuntime;

/// <summary>
/// The one ordered path of a turn: the runtime's reader hands it the thread's notifications (already applied to the
/// state) and the server requests it takes (approvals, and the methods its profile names), in wire order, and the turn's
/// one consumer reads both from here.
/// </summary>
/// <remarks>
/// Streamed deltas are the only items that can be dropped: when more than <see cref="DeltaCapacity"/> of them wait
/// unread (a stalled reader), new ones are counted in <see cref="Lost"/> instead of queued, so memory stays bounded
/// while the reader loop never waits. Items, plans, diffs, usage, approvals and <c>turn/completed</c> are few per turn
/// and always queued, so the stream keeps its structure and ends even after losses. The result comes from the state,
/// which saw every delta.
/// </remarks>
internal sealed class TurnEventQueue : IThreadRoute
{
    /// <summary>
    /// Unread deltas a stalled reader may leave queued: about 35 MB at codex's ~260-byte delta lines, and far more
    /// than a reader that keeps up ever has waiting.
    /// </summary>
    public const int DeltaCapacity = 100_000;

    private readonly Channel<TurnQueueItem> _channel = Channel.CreateUnbounded<TurnQueueItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly bool _streamEvents;
    private readonly string[] _serverRequests;
    private long _queuedDeltas;
    private long _lost;

    /// <param name="streamEvents">True for a streaming turn (every event it maps); false for the tool hooks (completed items and the turn's end only).</param>
    /// <param name="serverRequests">The methods besides approvals the queue takes (<see cref="RunProfile.TurnServerRequests"/>); a streaming turn's only: nobody else would answer them.</param>
    public TurnEventQueue(bool streamEvents, string[]? serverRequests = null)
    {
        _streamEvents = streamEvents;
        _serverRequests = streamEvents ? serverRequests ?? [] : [];
    }

    /// <summary>Deltas dropped so far because the reader left <see cref="DeltaCapacity"/> of them unread.</summary>
    public long Lost => Volatile.Read(ref _lost);

    /// <inheritdoc />
    public void Deliver(CodexInboundMessage message)
    {
        switch (message.Method)
        {
            case CodexNotificationNames.ItemCompleted:
            case CodexNotificationNames.TurnCompleted:
                _channel.Writer.TryWrite(new TurnQueueItem(message, null, false));
                return;
            case CodexNotificationNames.ItemStarted:
            case CodexNotificationNames.Error:
            case CodexNotificationNames.Warning:
            case CodexNotificationNames.TurnPlanUpdated:
            case CodexNotificationNames.TurnDiffUpdated:
            case CodexNotificationNames.ThreadTokenUsageUpdated:
                if (_streamEvents)
                {
                    _channel.Writer.TryWrite(new TurnQueueItem(message, null, false));
                }

                return;
            case CodexNotificationNames.ItemAgentMessageDelta:
            case CodexNotificationNames.ItemCommandExecutionOutputDelta:
            case CodexNotificationNames.ItemFileChangeOutputDelta:
                if (!_streamEvents)
                {
                    return;
                }

                if (Interlocked.Increment(ref _queuedDeltas) > DeltaCapacity)
                {
                    Interlocked.Decrement(ref _queuedDeltas);
                    Interlocked.Increment(ref _lost);
                    return;
                }

                _channel.Writer.TryWrite(new TurnQueueItem(message, null, true));
                return;
        }
    }

    /// <summary>
    /// Takes the thread's command and file-change approvals, and the requests of the methods it was given (a session runs
    /// one turn at a time, so they are this turn's, even before <c>turn/start</c> answered); false once the queue is
    /// complete, and for any other request.
    /// </summary>
    public bool TryTake(CodexServerRequest request) =>
        (CodexApprovalRequest.IsApproval(request) || Array.IndexOf(_serverRequests, request.Method) >= 0)
        && _channel.Writer.TryWrite(new TurnQueueItem(null, request, false));

    /// <inheritdoc />
    public void Complete() => _channel.Writer.TryComplete();

    /// <summary>No turn started after all (<c>turn/start</c> failed): completes and hands the requests it took back to the dispatcher's other answerers.</summary>
    public void Abandon()
    {
        Complete();
        while (_channel.Reader.TryRead(out var unread))
        {
            unread.Request?.Release();
        }
    }

    /// <summary>Takes the next queued item, if any.</summary>
    public bool TryRead(out TurnQueueItem item)
    {
        if (!_channel.Reader.TryRead(out item))
        {
            return false;
        }

        if (item.IsDelta)
        {
            Interlocked.Decrement(ref _queuedDeltas);
        }

        return true;
    }

    /// <summary>Waits until an item is queued (true) or the queue is complete and empty (false).</summary>
    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken) => _channel.Reader.WaitToReadAsync(cancellationToken);
}

/// <summary>One entry of a <see cref="TurnEventQueue"/>: a routed notification or a server request the queue took.</summary>
internal readonly record struct TurnQueueItem(CodexInboundMessage? Message, CodexServerRequest? Request, bool IsDelta);
