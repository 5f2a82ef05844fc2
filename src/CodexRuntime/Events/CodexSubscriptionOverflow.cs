using System.Text.Json.Serialization;

namespace CodexRuntime.Events;

/// <summary>
/// What happens when a subscriber does not keep up and its queue is full. The reader never waits for a subscriber:
/// every choice drops something, counts it (<see cref="CodexEnvelopeSubscription.DroppedCount"/> and the connection's
/// total) and tells the subscriber (<see cref="CodexEnvelopeSubscription.HasLostEvents"/>). A consumer that lost
/// events recovers a turn's terminal state with <c>thread/read</c>.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<CodexSubscriptionOverflow>))]
public enum CodexSubscriptionOverflow
{
    /// <summary>Default: the oldest queued envelope is dropped to make room; the subscriber keeps seeing the newest events.</summary>
    DropOldest,

    /// <summary>The new envelope is dropped; the subscriber keeps the oldest unread events.</summary>
    DropNewest,

    /// <summary>
    /// The subscription ends: after the envelopes already queued, reading fails with
    /// <see cref="CodexSubscriptionOverflowException"/>. For consumers that must see every event or none.
    /// </summary>
    Disconnect,
}
