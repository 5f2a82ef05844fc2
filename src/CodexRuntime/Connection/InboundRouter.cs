using CodexRuntime.Diagnostics;
using CodexRuntime.Events;
using CodexRuntime.Protocol;
using CodexRuntime.Rpc;
using Microsoft.Extensions.Logging;

namespace CodexRuntime;

/// <summary>
/// What the reader hands over, line by line: responses, notifications and server requests, published to the envelope
/// stream and counted; notifications go to the observer, server requests are answered off the reader (a reply is
/// always written, -32601 when nobody handles the request).
/// </summary>
internal sealed class InboundRouter : IInboundRouter
{
    private readonly CodexEnvelopeStream _envelopes;
    private readonly TimeProvider _time;
    private readonly ICodexMessageObserver? _observer;
    private readonly ILogger _logger;
    private readonly CancellationToken _closing;
    private readonly Func<string, RawOutboundMessage, Task> _send;
    private long _sequence;
    private long _malformedLines;
    private long _notifications;
    private long _serverRequests;

    /// <param name="envelopes">Where every message is published.</param>
    /// <param name="time">Stamps each inbound message.</param>
    /// <param name="observer">Receives notifications and server requests; optional.</param>
    /// <param name="logger">Logging.</param>
    /// <param name="closing">Cancelled when the connection closes; handed to server-request handlers.</param>
    /// <param name="send">Writes a reply (method, message); throws <see cref="CodexTransportClosedException"/> when the connection is closed.</param>
    public InboundRouter(CodexEnvelopeStream envelopes, TimeProvider time, ICodexMessageObserver? observer, ILogger logger, CancellationToken closing, Func<string, RawOutboundMessage, Task> send)
    {
        _envelopes = envelopes;
        _time = time;
        _observer = observer;
        _logger = logger;
        _closing = closing;
        _send = send;
    }

    /// <summary>Inbound lines that were not JSON-RPC messages; each was logged and skipped.</summary>
    public long MalformedLineCount => Interlocked.Read(ref _malformedLines);

    /// <summary>Notifications received so far.</summary>
    public long NotificationCount => Interlocked.Read(ref _notifications);

    /// <summary>Server requests received so far (each one is answered).</summary>
    public long ServerRequestCount => Interlocked.Read(ref _serverRequests);

    bool IInboundRouter.WantsOutbound => _envelopes.WantsOutbound;

    void IInboundRouter.OnResponse(CodexRequestId id, byte[] json) =>
        _envelopes.Publish(CodexDirection.Inbound, CodexEnvelopeKind.Response, null, id, default, json);

    void IInboundRouter.OnOutbound(CodexEnvelopeKind kind, string? method, CodexRequestId? id, ReadOnlyMemory<byte> json) =>
        _envelopes.Publish(CodexDirection.Outbound, kind, method, id, default, json);

    void IInboundRouter.OnInbound(CodexMessageKind kind, string method, CodexRequestId? id, RoutingIds ids, byte[] json)
    {
        var now = _time.GetUtcNow();
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

    void IInboundRouter.OnMalformedLine(long length, string reason)
    {
        var count = Interlocked.Increment(ref _malformedLines);
        Log.MalformedLine(_logger, length, reason, count);
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
                reply = await _observer.OnServerRequestAsync(request, _closing).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                Log.ServerRequestHandlerFailed(_logger, ex, request.Method);
                reply = CodexServerReply.FromError(CodexRpcErrorCodes.InternalError, $"The CodexRuntime handler for '{request.Method}' failed ({ex.GetType().Name}).");
            }
        }

        var id = request.Id!.Value;
        var bytes = WireWriter.Reply(id, reply);
        try
        {
            await _send(request.Method, new RawOutboundMessage(bytes, CodexEnvelopeKind.Response, null, id)).ConfigureAwait(false);
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
