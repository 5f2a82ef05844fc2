namespace CodexRuntime.Events;

/// <summary>How one subscriber receives the live envelope stream.</summary>
public sealed class CodexSubscriptionOptions
{
    /// <summary>How many envelopes may wait unread before <see cref="Overflow"/> applies. Bounds the subscriber's memory.</summary>
    public int Capacity { get; set; } = 10_000;

    /// <summary>What happens when the queue is full; see <see cref="CodexSubscriptionOverflow"/>.</summary>
    public CodexSubscriptionOverflow Overflow { get; set; } = CodexSubscriptionOverflow.DropOldest;

    /// <summary>Only envelopes that pass are queued (evaluated on the I/O path: keep it cheap). All pass when null.</summary>
    public Func<CodexEnvelope, bool>? Filter { get; set; }

    /// <summary>Also deliver what this process sends (requests, notifications, replies). On by default.</summary>
    public bool IncludeOutbound { get; set; } = true;

    /// <summary>
    /// Only <see cref="CodexEnvelopeKind.Lifecycle"/> envelopes (the client's restart watch): the stream then builds no
    /// envelope for a wire message unless another subscriber takes it.
    /// </summary>
    internal bool LifecycleOnly { get; init; }
}
