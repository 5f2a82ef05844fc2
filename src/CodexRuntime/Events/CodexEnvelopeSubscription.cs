using System.Threading.Channels;

namespace CodexRuntime.Events;

/// <summary>
/// One subscriber's view of the live envelope stream: a bounded queue that the connection fills without ever waiting
/// (see <see cref="CodexSubscriptionOverflow"/>). Dispose to unsubscribe.
/// </summary>
public sealed class CodexEnvelopeSubscription : IDisposable
{
    private readonly Channel<CodexEnvelope> _channel;
    private readonly CodexEnvelopeStream _stream;
    private long _dropped;

    internal CodexEnvelopeSubscription(CodexEnvelopeStream stream, CodexSubscriptionOptions options)
    {
        _stream = stream;
        Options = options;
        Capacity = Math.Max(1, options.Capacity);
        var bounded = new BoundedChannelOptions(Capacity)
        {
            SingleReader = false,
            SingleWriter = true,
            AllowSynchronousContinuations = false,
            FullMode = options.Overflow switch
            {
                CodexSubscriptionOverflow.DropOldest => BoundedChannelFullMode.DropOldest,
                CodexSubscriptionOverflow.DropNewest => BoundedChannelFullMode.DropWrite,
                _ => BoundedChannelFullMode.Wait,
            },
        };
        _channel = Channel.CreateBounded<CodexEnvelope>(bounded, _ => CountDrop());
    }

    /// <summary>The options this subscription was created with.</summary>
    public CodexSubscriptionOptions Options { get; }

    /// <summary>How many envelopes may wait unread (the option, at least 1).</summary>
    public int Capacity { get; }

    /// <summary>The queue to read from.</summary>
    public ChannelReader<CodexEnvelope> Reader => _channel.Reader;

    /// <summary>Envelopes this subscriber lost because its queue was full.</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);

    /// <summary>True once an envelope was lost: state built from this stream may be incomplete (recover with <c>thread/read</c>).</summary>
    public bool HasLostEvents => DroppedCount > 0;

    /// <summary>Reads envelopes until the stream ends (connection closed or subscription disposed).</summary>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The envelopes in stream order.</returns>
    public IAsyncEnumerable<CodexEnvelope> ReadAllAsync(CancellationToken cancellationToken = default) => _channel.Reader.ReadAllAsync(cancellationToken);

    /// <summary>Unsubscribes; reading ends after what is already queued.</summary>
    public void Dispose()
    {
        _stream.Remove(this);
        _channel.Writer.TryComplete();
    }

    /// <summary>Whether this subscription takes a message of this direction at all (before <see cref="CodexSubscriptionOptions.Filter"/>).</summary>
    internal bool Takes(CodexDirection direction) => direction != CodexDirection.Outbound || Options.IncludeOutbound;

    /// <summary>Queues one envelope without waiting. Called by the stream under its lock, in sequence order.</summary>
    internal void Offer(CodexEnvelope envelope)
    {
        if (Options.Filter is { } filter && !filter(envelope))
        {
            return;
        }

        if (!_channel.Writer.TryWrite(envelope) && Options.Overflow == CodexSubscriptionOverflow.Disconnect)
        {
            // Full in Disconnect mode (TryWrite fails instead of waiting): end the subscription, loudly.
            if (_channel.Writer.TryComplete(_stream.OverflowError(Capacity, envelope.Sequence)))
            {
                CountDrop();
                _stream.Remove(this);
            }
        }
    }

    internal void Complete() => _channel.Writer.TryComplete();

    private void CountDrop()
    {
        Interlocked.Increment(ref _dropped);
        _stream.CountDrop();
    }
}
