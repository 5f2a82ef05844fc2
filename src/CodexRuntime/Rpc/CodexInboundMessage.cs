using System.Text;
using System.Text.Json;
using CodexRuntime.Protocol;
using CodexRuntime.Serialization;

namespace CodexRuntime.Rpc;

/// <summary>
/// A notification or server request as it came off the wire: its method, id, arrival order and the raw UTF-8 JSON
/// of the whole line. Nothing is parsed beyond what routing needs; <see cref="Params"/> parses on first use.
/// </summary>
public sealed class CodexInboundMessage
{
    // Boxed so that publishing the parsed value is one atomic reference write (readers on other threads never see a torn struct).
    private object? _params;

    // The array itself, not a ReadOnlyMemory: the message owns the whole line, and a reference is half the size.
    private readonly byte[] _json;

    internal CodexInboundMessage(long sequence, DateTimeOffset receivedAt, CodexMessageKind kind, string method, CodexRequestId? id, byte[] json, RoutingIds ids = default)
    {
        ThreadId = ids.ThreadId;
        TurnId = ids.TurnId;
        ItemId = ids.ItemId;
        Delta = (ids.DeltaStart, ids.DeltaLength, ids.DeltaEscaped);
        ItemType = ids.ItemType;
        Sequence = sequence;
        ReceivedAt = receivedAt;
        Kind = kind;
        Method = method;
        Id = id;
        _json = json;
    }

    /// <summary>Arrival order on this connection among notifications and server requests, starting at 1.</summary>
    public long Sequence { get; }

    /// <summary>When the reader took the line off the wire.</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>Notification or server request.</summary>
    public CodexMessageKind Kind { get; }

    /// <summary>The JSON-RPC method, e.g. <c>item/agentMessage/delta</c>.</summary>
    public string Method { get; }

    /// <summary>The request id; null for notifications.</summary>
    public CodexRequestId? Id { get; }

    /// <summary>The thread the message concerns (<c>params.threadId</c> or <c>params.thread.id</c>), if any.</summary>
    public string? ThreadId { get; }

    /// <summary>The turn the message concerns (<c>params.turnId</c> or <c>params.turn.id</c>), if any.</summary>
    public string? TurnId { get; }

    /// <summary>The item the message concerns (<c>params.itemId</c> or <c>params.item.id</c>), if any.</summary>
    public string? ItemId { get; }

    /// <summary>Where <c>params.delta</c>'s text is in <see cref="Json"/> (Start 0: none), found while the line was classified.</summary>
    internal (int Start, int Length, bool Escaped) Delta { get; }

    /// <summary>
    /// The text of <c>params.delta</c> read from the slice the classifier found (no second parse of the line), or null
    /// when the message has no string delta.
    /// </summary>
    internal string? DeltaText()
    {
        var (start, length, escaped) = Delta;
        if (start == 0)
        {
            return null;
        }

        if (!escaped)
        {
            return Encoding.UTF8.GetString(_json.AsSpan(start, length));
        }

        var reader = EscapedDeltaReader();
        return reader.GetString();
    }

    /// <summary>A reader positioned on <c>params.delta</c>'s quoted string alone, for text that must be unescaped.</summary>
    internal Utf8JsonReader EscapedDeltaReader()
    {
        var (start, length, _) = Delta;
        var reader = new Utf8JsonReader(_json.AsSpan(start - 1, length + 2));
        reader.Read();
        return reader;
    }

    /// <summary>The <c>type</c> of <c>params.item</c> (e.g. <c>agentMessage</c>), found while the line was classified.</summary>
    internal string? ItemType { get; }

    /// <summary>The whole message as UTF-8 JSON, exactly as received.</summary>
    public ReadOnlyMemory<byte> Json => _json;

    /// <summary>The <c>params</c> member (an undefined element when absent). Parsed on first access and cached.</summary>
    public JsonElement Params => (JsonElement)(_params ??= ParseParams());

    /// <summary>True when this is the notification <paramref name="type"/>.</summary>
    /// <param name="type">A notification from <see cref="CodexNotifications"/>.</param>
    /// <returns>Whether the method matches.</returns>
    public bool Is(CodexNotificationType type) => Kind == CodexMessageKind.Notification && Method == type?.Method;

    /// <summary>True when this is the server request <paramref name="type"/>.</summary>
    /// <param name="type">A server request from <see cref="CodexServerRequests"/>.</param>
    /// <returns>Whether the method matches.</returns>
    public bool Is(CodexServerRequestType type) => Kind == CodexMessageKind.ServerRequest && Method == type?.Method;

    /// <summary>Reads the typed payload of a notification.</summary>
    /// <typeparam name="TPayload">The payload type.</typeparam>
    /// <param name="type">The notification, e.g. <c>CodexNotifications.TurnCompleted</c>; it must match <see cref="Method"/>.</param>
    /// <returns>The payload.</returns>
    /// <exception cref="InvalidOperationException">This message is another method.</exception>
    /// <exception cref="JsonException">The payload does not fit the type (a field the schema requires is missing).</exception>
    public TPayload ReadParams<TPayload>(CodexNotificationType<TPayload> type)
    {
        ArgumentNullException.ThrowIfNull(type);
        EnsureMethod(type.Method);
        return Deserialize<TPayload>();
    }

    /// <summary>Reads the typed params of a server request.</summary>
    /// <typeparam name="TParams">The params type.</typeparam>
    /// <typeparam name="TResponse">The response type.</typeparam>
    /// <param name="type">The server request, e.g. <c>CodexServerRequests.ItemCommandExecutionRequestApproval</c>.</param>
    /// <returns>The params.</returns>
    /// <exception cref="InvalidOperationException">This message is another method.</exception>
    /// <exception cref="JsonException">The params do not fit the type.</exception>
    public TParams ReadParams<TParams, TResponse>(CodexServerRequestType<TParams, TResponse> type)
    {
        ArgumentNullException.ThrowIfNull(type);
        EnsureMethod(type.Method);
        return Deserialize<TParams>();
    }

    private void EnsureMethod(string expected)
    {
        if (Method != expected)
        {
            throw new InvalidOperationException($"This message is '{Method}', not '{expected}'.");
        }
    }

    private T Deserialize<T>() => WireMessage.DeserializeParams<T>(_json, Method);

    /// <summary>The whole message as a string (for logs and debugging; allocates).</summary>
    /// <returns>The JSON text.</returns>
    public override string ToString() => Encoding.UTF8.GetString(_json);

    private JsonElement ParseParams()
    {
        var reader = new Utf8JsonReader(_json, new JsonReaderOptions { MaxDepth = WireMessage.MaxDepth });
        return WireMessage.MoveToParams(ref reader) ? JsonElement.ParseValue(ref reader) : default;
    }
}
