using System.Text;
using CodexRuntime.Protocol;
using CodexRuntime.Serialization;

namespace CodexRuntime.Events;

/// <summary>
/// One message on the wire, in either direction, as the live event stream delivers it: its place in the stream, when
/// it passed, what it is, which thread, turn and item it concerns, and its exact JSON.
/// </summary>
public sealed class CodexEnvelope
{
    internal CodexEnvelope(long sequence, DateTimeOffset timestamp, CodexDirection direction, CodexEnvelopeKind kind, string? method, CodexRequestId? id, RoutingIds ids, ReadOnlyMemory<byte> json)
    {
        Sequence = sequence;
        Timestamp = timestamp;
        Direction = direction;
        Kind = kind;
        Method = method;
        Id = id;
        ThreadId = ids.ThreadId;
        TurnId = ids.TurnId;
        ItemId = ids.ItemId;
        Json = json;
    }

    /// <summary>Position in this connection's stream, starting at 1, over both directions; every subscriber sees increasing numbers.</summary>
    public long Sequence { get; }

    /// <summary>When the message was read or written.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>Inbound or outbound.</summary>
    public CodexDirection Direction { get; }

    /// <summary>Request, notification or response.</summary>
    public CodexEnvelopeKind Kind { get; }

    /// <summary>The method; null for responses.</summary>
    public string? Method { get; }

    /// <summary>The request id of requests and responses; null for notifications.</summary>
    public CodexRequestId? Id { get; }

    /// <summary>The thread the message concerns (from <c>params.threadId</c> or <c>params.thread.id</c>), if any.</summary>
    public string? ThreadId { get; }

    /// <summary>The turn the message concerns (from <c>params.turnId</c> or <c>params.turn.id</c>), if any.</summary>
    public string? TurnId { get; }

    /// <summary>The item the message concerns (from <c>params.itemId</c> or <c>params.item.id</c>), if any.</summary>
    public string? ItemId { get; }

    /// <summary>The message as UTF-8 JSON, exactly as it passed.</summary>
    public ReadOnlyMemory<byte> Json { get; }

    /// <summary>True when this is the inbound notification <paramref name="type"/>.</summary>
    /// <param name="type">A notification from <see cref="CodexNotifications"/>.</param>
    /// <returns>Whether kind and method match.</returns>
    public bool Is(CodexNotificationType type) => Kind == CodexEnvelopeKind.Notification && Method == type?.Method;

    /// <summary>Reads the typed payload of a notification envelope.</summary>
    /// <typeparam name="TPayload">The payload type.</typeparam>
    /// <param name="type">The notification, e.g. <c>CodexNotifications.TurnCompleted</c>; it must match <see cref="Method"/>.</param>
    /// <returns>The payload.</returns>
    /// <exception cref="InvalidOperationException">This envelope is another method.</exception>
    /// <exception cref="System.Text.Json.JsonException">The payload does not fit the type.</exception>
    public TPayload ReadParams<TPayload>(CodexNotificationType<TPayload> type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (Method != type.Method)
        {
            throw new InvalidOperationException($"This envelope is '{Method}', not '{type.Method}'.");
        }

        return WireMessage.DeserializeParams<TPayload>(Json.Span, type.Method);
    }

    /// <inheritdoc />
    public override string ToString() => $"#{Sequence} {Direction} {Kind} {Method ?? Id?.ToString()}: {Encoding.UTF8.GetString(Json.Span)}";
}
