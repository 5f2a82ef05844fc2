using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using CodexRuntime.Events;
using CodexRuntime.Protocol;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace CodexRuntime.Rpc;

/// <summary>
/// The newline-delimited handler between StreamJsonRpc and codex. StreamJsonRpc keeps what it is good at (outbound
/// requests, id matching, result deserialization); everything else is routed here without reflection:
/// notifications and server requests go straight to the connection as raw JSON (StreamJsonRpc has no catch-all and
/// would drop unknown methods), lines that are not JSON-RPC are counted and skipped (StreamJsonRpc would
/// disconnect), and only responses are handed to StreamJsonRpc. Lines have no length cap.
/// </summary>
internal sealed class CodexMessageHandler : NewLineDelimitedMessageHandler
{
    private static readonly byte[] LineFeed = "\n"u8.ToArray();

    private readonly IInboundRouter _router;
    private readonly Utf8StringCache _strings = new();

    /// <summary>
    /// Ids of requests written and not yet answered. StreamJsonRpc disconnects on a response it is not waiting for, so
    /// only responses to these reach it; anything else (a duplicate, a made-up id) is counted and skipped.
    /// </summary>
    private readonly ConcurrentDictionary<CodexRequestId, byte> _outstanding = new();

    /// <summary>Bytes at the start of the unconsumed buffer already searched for '\n' (keeps huge lines linear).</summary>
    private long _scanned;

    public CodexMessageHandler(PipeWriter writer, PipeReader reader, IJsonRpcMessageTextFormatter formatter, IInboundRouter router)
        : base(writer, reader, formatter)
    {
        _router = router;
        NewLine = NewLineStyle.Lf;
    }

    // Runs under MessageHandlerBase's write lock, so outbound envelopes are published in wire order.
    protected override void Write(JsonRpcMessage content, CancellationToken cancellationToken)
    {
        var writer = Writer!;
        if (content is JsonRpcRequest { RequestId.IsEmpty: false } outgoing && ToCodexId(outgoing.RequestId) is { } outgoingId)
        {
            // Recorded before the bytes go out: the answer cannot arrive earlier.
            _outstanding[outgoingId] = 0;
        }

        if (content is RawOutboundMessage raw)
        {
            writer.Write(raw.Utf8Json);
            writer.Write(LineFeed);
            _router.OnOutbound(raw.Kind, raw.Method, raw.Id, raw.Utf8Json);
            return;
        }

        if (!_router.WantsOutbound)
        {
            base.Write(content, cancellationToken);
            return;
        }

        // Someone audits outbound traffic: serialize into our own buffer so the exact bytes can be published.
        var buffer = new ArrayBufferWriter<byte>(256);
        Formatter.Serialize(buffer, content);
        if (Formatter is StreamJsonRpc.Reflection.IJsonRpcFormatterTracingCallbacks tracer)
        {
            tracer.OnSerializationComplete(content, new ReadOnlySequence<byte>(buffer.WrittenMemory));
        }

        writer.Write(buffer.WrittenSpan);
        writer.Write(LineFeed);
        var (kind, method, id) = content switch
        {
            JsonRpcRequest request => (request.RequestId.IsEmpty ? CodexEnvelopeKind.Notification : CodexEnvelopeKind.Request, request.Method, ToCodexId(request.RequestId)),
            JsonRpcResult result => (CodexEnvelopeKind.Response, (string?)null, ToCodexId(result.RequestId)),
            JsonRpcError error => (CodexEnvelopeKind.Response, (string?)null, ToCodexId(error.RequestId)),
            _ => (CodexEnvelopeKind.Notification, (string?)null, (CodexRequestId?)null),
        };
        // The buffer is ours and written once: its bytes can be published without another copy.
        _router.OnOutbound(kind, method, id, buffer.WrittenMemory);
    }

    private static CodexRequestId? ToCodexId(RequestId id) =>
        id.Number is { } number ? CodexRequestId.FromNumber(number) : id.String is { } text ? CodexRequestId.FromString(text) : null;

    protected override async ValueTask<JsonRpcMessage?> ReadCoreAsync(CancellationToken cancellationToken)
    {
        var reader = Reader!;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            while (true)
            {
                var newLine = buffer.Slice(_scanned).PositionOf((byte)'\n');
                if (newLine is null)
                {
                    _scanned = buffer.Length;
                    break;
                }

                var line = buffer.Slice(0, newLine.Value);
                var rest = buffer.GetPosition(1, newLine.Value);
                _scanned = 0;
                var response = Route(line);
                buffer = buffer.Slice(rest);
                if (response is not null)
                {
                    // Consumed up to here but not "examined to the end": lines already buffered are read next time
                    // without waiting for more bytes.
                    reader.AdvanceTo(buffer.Start);
                    return response;
                }
            }

            if (result.IsCompleted)
            {
                // The peer closed; a last line without '\n' still counts.
                var last = buffer.Length > 0 ? Route(buffer) : null;
                reader.AdvanceTo(buffer.End);
                _scanned = 0;
                if (last is not null)
                {
                    return last;
                }

                return null;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Routes one line; returns a message only for responses, which StreamJsonRpc must see.</summary>
    private JsonRpcMessage? Route(ReadOnlySequence<byte> line)
    {
        if (line.Length > 0 && line.Slice(line.Length - 1).FirstSpan[0] == (byte)'\r')
        {
            line = line.Slice(0, line.Length - 1);
        }

        if (line.IsEmpty)
        {
            return null;
        }

        switch (InboundLineClassifier.Classify(line, _strings, out var method, out var id, out var ids, out var problem))
        {
            case InboundLineKind.Notification:
                _router.OnInbound(CodexMessageKind.Notification, method!, null, ids, line.ToArray());
                return null;
            case InboundLineKind.ServerRequest:
                _router.OnInbound(CodexMessageKind.ServerRequest, method!, id, ids, line.ToArray());
                return null;
            case InboundLineKind.Response:
                try
                {
                    // The formatter may keep referring to the bytes after the pipe reuses them: give it its own copy.
                    if (!_outstanding.TryRemove(id!.Value, out _))
                    {
                        _router.OnMalformedLine(line.Length, $"a response to request {id} that is not pending");
                        return null;
                    }

                    var copy = line.ToArray();
                    _router.OnResponse(id.Value, copy);
                    return Formatter.Deserialize(new ReadOnlySequence<byte>(copy));
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // Whatever the formatter throws for one bad line must not end the read loop: StreamJsonRpc would
                    // disconnect, and the pipe would stop being drained.
                    _router.OnMalformedLine(line.Length, $"a response the JSON-RPC formatter rejected ({ex.GetType().Name})");
                    return null;
                }

            default:
                _router.OnMalformedLine(line.Length, problem ?? "unreadable");
                return null;
        }
    }
}

/// <summary>Where <see cref="CodexMessageHandler"/> sends what is not a response.</summary>
internal interface IInboundRouter
{
    /// <summary>True while someone wants outbound messages (a subscriber of the envelope stream takes them).</summary>
    bool WantsOutbound { get; }

    void OnInbound(CodexMessageKind kind, string method, CodexRequestId? id, RoutingIds ids, byte[] json);

    void OnResponse(CodexRequestId id, byte[] json);

    void OnOutbound(CodexEnvelopeKind kind, string? method, CodexRequestId? id, ReadOnlyMemory<byte> json);

    void OnMalformedLine(long length, string reason);
}
