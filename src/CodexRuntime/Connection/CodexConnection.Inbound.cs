using System.Text.Json;
using CodexRuntime.Diagnostics;
using CodexRuntime.Events;
using CodexRuntime.Protocol;
using CodexRuntime.Rpc;

namespace CodexRuntime;

// What the reader hands over, line by line: responses, notifications and server requests (answered off the reader), published to the envelope stream.
internal sealed partial class CodexConnection
{
    bool IInboundRouter.WantsOutbound => _envelopes.WantsOutbound;

    void IInboundRouter.OnResponse(CodexRequestId id, byte[] json) =>
        _envelopes.Publish(CodexDirection.Inbound, CodexEnvelopeKind.Response, null, id, default, json);

    void IInboundRouter.OnOutbound(CodexEnvelopeKind kind, string? method, CodexRequestId? id, ReadOnlyMemory<byte> json) =>
        _envelopes.Publish(CodexDirection.Outbound, kind, method, id, default, json);

    void IInboundRouter.OnInbound(CodexMessageKind kind, string method, CodexRequestId? id, RoutingIds ids, byte[] json)
    {
        var now = _options.TimeProvider.GetUtcNow();
        var message = new CodexInboundMessage(Interlocked.Increment(ref _sequence), now, kind, method, id, json, ids);
        _envelopes.Publish(CodexDirection.Inbound, kind == CodexMessageKind.Notification ? CodexEnvelopeKind.Notification : CodexEnvelopeKind.Request, method, id, ids, json, now);
        if (kind == CodexMessageKind.Notification)
        {
            Interlocked.Increment(ref _notifications);
            if (_observer is null)
            {
                return;
            }

            try
            {
                _observer.OnNotification(message);
            }
            catch (Exception ex)
            {
                Log.ObserverFailed(_logger, ex, method);
            }

            return;
        }

        Interlocked.Increment(ref _serverRequests);
        AnswerOffTheReader(message);
    }

    /// <summary>
    /// Handlers never run on the reader loop: one slow approval must not hold up the stream. An observer that routes in
    /// wire order (<see cref="IWireOrderObserver"/>) is called here, on the reader, and leaves it by itself before any
    /// handler runs; any other observer is called on the thread pool. (A method of its own: the lambda's closure would
    /// otherwise be allocated on entry to <see cref="IInboundRouter.OnInbound"/>, for every notification too.)
    /// </summary>
    private void AnswerOffTheReader(CodexInboundMessage request)
    {
        if (_observer is IWireOrderObserver)
        {
            _ = AnswerServerRequestAsync(request);
            return;
        }

        _ = Task.Run(() => AnswerServerRequestAsync(request));
    }

    void IInboundRouter.OnMalformedLine(long length, string reason)
    {
        var count = Interlocked.Increment(ref _malformedLines);
        Log.MalformedLine(_logger, length, reason, count);
    }

    private async Task AnswerServerRequestAsync(CodexInboundMessage request)
    {
        CodexServerReply reply;
        if (_observer is null)
        {
            Log.ServerRequestUnhandled(_logger, request.Method);
            reply = CodexServerReply.MethodNotFound(request.Method);
        }
        else
        {
            try
            {
                reply = await _observer.OnServerRequestAsync(request, _closing.Token).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Log.ServerRequestHandlerFailed(_logger, ex, request.Method);
                reply = CodexServerReply.FromError(CodexRpcErrorCodes.InternalError, $"The CodexRuntime handler for '{request.Method}' failed ({ex.GetType().Name}).");
            }
        }

        var id = request.Id!.Value;
        var bytes = WriteMessage(writer =>
        {
            writer.WritePropertyName("id"u8);
            id.WriteTo(writer);
            if (reply.IsError)
            {
                writer.WriteStartObject("error"u8);
                writer.WriteNumber("code"u8, reply.ErrorCode);
                writer.WriteString("message"u8, reply.ErrorMessage);
                if (reply.ErrorData is { } data)
                {
                    writer.WritePropertyName("data"u8);
                    data.WriteTo(writer);
                }

                writer.WriteEndObject();
            }
            else
            {
                writer.WritePropertyName("result"u8);
                if (reply.Result is { ValueKind: not JsonValueKind.Undefined } result)
                {
                    result.WriteTo(writer);
                }
                else
                {
                    writer.WriteNullValue();
                }
            }
        });

        try
        {
            await SendRawAsync(request.Method, new RawOutboundMessage(bytes, CodexEnvelopeKind.Response, null, id), CancellationToken.None).ConfigureAwait(false);
            reply.Written?.TrySetResult(true);
        }
        catch (CodexTransportClosedException ex)
        {
            Log.ServerRequestReplyLost(_logger, ex, request.Method);
        }
        finally
        {
            // Whoever waits for this reply to be written (CodexServerRequest.RespondAsync) learns the outcome either way.
            reply.Written?.TrySetResult(false);
        }
    }
}
