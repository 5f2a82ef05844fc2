using CodexRuntime.Protocol;


namespace CodexRuntime.Events;

/// <summary>
/// Fans every message of a connection out to its subscribers. Publishing never waits: each subscriber has its own
/// bounded queue with an explicit overflow behaviour. One lock orders sequence numbers and queue writes, so every
/// subscriber sees the same order, inbound (reader loop) and outbound (writers) alike. Nothing is allocated while
/// nobody subscribes, nor for a message that no subscriber takes (outbound traffic costs nothing while every subscriber
/// left it out).
/// </summary>
/// <param name="time">Stamps each envelope.</param>
/// <param name="overflowError">
/// The error a <see cref="CodexSubscriptionOverflow.Disconnect"/> subscription ends with when it falls behind, from its
/// capacity and the sequence number of the first envelope that did not fit. The caller supplies it because the public
/// exception (<c>CodexSubscriptionOverflowException</c>) is in the root namespace, which this layer does not name.
/// </param>
internal sealed class CodexEnvelopeStream(TimeProvider time, Func<int, long, Exception> overflowError)
{
    private readonly Lock _gate = new();
    private CodexEnvelopeSubscription[] _subscribers = [];
    private long _sequence;
    private long _dropped;
    private bool _completed;

    public bool HasSubscribers => Volatile.Read(ref _subscribers).Length > 0;

    /// <summary>True while a subscriber takes outbound wire messages (only then are they serialized where they can be published).</summary>
    public bool WantsOutbound
    {
        get
        {
            foreach (var subscriber in Volatile.Read(ref _subscribers))
            {
                if (subscriber.Takes(CodexDirection.Outbound))
                {
                    return true;
                }
            }

            return false;
        }
    }

    public long DroppedCount => Interlocked.Read(ref _dropped);

    public long PublishedCount => Interlocked.Read(ref _sequence);

    /// <summary>The error a Disconnect subscription that fell behind ends with (capacity, first lost sequence number).</summary>
    public Exception OverflowError(int capacity, long sequence) => overflowError(capacity, sequence);

    public CodexEnvelopeSubscription Subscribe(CodexSubscriptionOptions options)
    {
        var subscription = new CodexEnvelopeSubscription(this, options);
        lock (_gate)
        {
            if (_completed)
            {
                subscription.Complete();
            }
            else
            {
                _subscribers = [.. _subscribers, subscription];
            }
        }

        return subscription;
    }

    public void Publish(CodexDirection direction, CodexEnvelopeKind kind, string? method, CodexRequestId? id, RoutingIds ids, ReadOnlyMemory<byte> json, DateTimeOffset? timestamp = null)
    {
        lock (_gate)
        {
            var subscribers = _subscribers;
            if (subscribers.Length == 0)
            {
                return;
            }

            // Numbered whether or not anyone takes it: sequence numbers do not depend on which subscribers are open.
            var sequence = ++_sequence;
            CodexEnvelope? envelope = null;
            foreach (var subscriber in subscribers)
            {
                if (subscriber.Takes(direction))
                {
                    envelope ??= new CodexEnvelope(sequence, timestamp ?? time.GetUtcNow(), direction, kind, method, id, ids, json);
                    subscriber.Offer(envelope);
                }
            }
        }
    }

    public void Remove(CodexEnvelopeSubscription subscription)
    {
        lock (_gate)
        {
            _subscribers = _subscribers.Where(s => s != subscription).ToArray();
        }
    }

    public void CountDrop() => Interlocked.Increment(ref _dropped);

    /// <summary>Ends every subscription (the connection closed): readers finish what is queued, then stop.</summary>
    public void Complete()
    {
        CodexEnvelopeSubscription[] subscribers;
        lock (_gate)
        {
            _completed = true;
            subscribers = _subscribers;
            _subscribers = [];
        }

        foreach (var subscriber in subscribers)
        {
            subscriber.Complete();
        }
    }
}
