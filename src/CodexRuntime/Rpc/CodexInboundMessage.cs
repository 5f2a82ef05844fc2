using System.Text;
using System.Text.Json;

namespace CodexRuntime.Rpc;

/// <summary>
/// A notification or server request as it came off the wire: its method, id, arrival order and the raw UTF-8 JSON
/// of the whole line. Nothing is parsed beyond what routing needs; <see cref="Params"/> parses on first use.
/// </summary>
public sealed class CodexInboundMessage
{
    // Boxed so that publishing the parsed value is one atomic reference write (readers on other threads never see a torn struct).
    private object? _params;

    internal CodexInboundMessage(long sequence, DateTimeOffset receivedAt, CodexMessageKind kind, string method, CodexRequestId? id, byte[] json)
    {
        Sequence = sequence;
        ReceivedAt = receivedAt;
        Kind = kind;
        Method = method;
        Id = id;
        Json = json;
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

    /// <summary>The whole message as UTF-8 JSON, exactly as received.</summary>
    public ReadOnlyMemory<byte> Json { get; }

    /// <summary>The <c>params</c> member (an undefined element when absent). Parsed on first access and cached.</summary>
    public JsonElement Params => (JsonElement)(_params ??= ParseParams());

    /// <summary>The whole message as a string (for logs and debugging; allocates).</summary>
    /// <returns>The JSON text.</returns>
    public override string ToString() => Encoding.UTF8.GetString(Json.Span);

    private JsonElement ParseParams()
    {
        var reader = new Utf8JsonReader(Json.Span, new JsonReaderOptions { MaxDepth = InboundLineClassifier.MaxDepth });
        using var document = JsonDocument.ParseValue(ref reader);
        return document.RootElement.TryGetProperty("params"u8, out var value) ? value.Clone() : default;
    }
}
