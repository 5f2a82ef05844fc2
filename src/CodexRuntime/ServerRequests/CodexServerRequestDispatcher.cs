using System.Collections.Concurrent;
using System.Text.Json;
using CodexRuntime.Diagnostics;
using CodexRuntime.Protocol;
using CodexRuntime.Rpc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CodexRuntime.ServerRequests;

/// <summary>
/// Answers every server request: by its typed handler, by <see cref="CodexServerRequestOptions.UnhandledPolicy"/> when
/// there is none, or by <see cref="CodexServerRequestOptions.DeadlinePolicy"/> when the handler misses the deadline —
/// never left hanging. <c>serverRequest/resolved</c> (or, on codex 0.104.0 which does not send it, the end of the
/// request's turn) cancels a handler still running. Notifications pass through to an inner observer.
/// </summary>
/// <remarks>
/// The runtime calls <see cref="OnServerRequestAsync"/> on its reader: a request a thread route takes (a running turn's
/// approval, or a kind its profile names) enters that turn's queue there, at its place on the wire; any other request
/// leaves the reader before a stream filter or handler runs.
/// </remarks>
public sealed class CodexServerRequestDispatcher : IWireOrderObserver
{
    private readonly CodexServerRequestOptions _options;
    private readonly ICodexMessageObserver? _inner;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<CodexRequestId, InFlight> _pending = new();
    private readonly CodexServerRequestRouter _router = new();

    /// <summary>Creates the dispatcher.</summary>
    /// <param name="options">Handlers, policies and deadline.</param>
    /// <param name="inner">Receives every notification (after the dispatcher looked at it); optional.</param>
    /// <param name="loggerFactory">Logging; optional.</param>
    public CodexServerRequestDispatcher(CodexServerRequestOptions options, ICodexMessageObserver? inner = null, ILoggerFactory? loggerFactory = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _inner = inner;
        _logger = (ILogger?)loggerFactory?.CreateLogger("CodexRuntime.ServerRequests") ?? NullLogger.Instance;
    }

    /// <summary>
    /// Opens a stream of server requests for a consumer to answer. Streams are asked before the typed handlers; see
    /// <see cref="CodexServerRequestStream"/> for how several consumers share requests.
    /// </summary>
    /// <param name="options">Which requests the stream claims; all (the catch-all stream) when null or without a filter.</param>
    /// <returns>The stream; dispose it to stop claiming.</returns>
    /// <exception cref="InvalidOperationException">A catch-all stream is already open.</exception>
    public CodexServerRequestStream OpenStream(CodexServerRequestStreamOptions? options = null) => _router.Open(options);

    /// <summary>Ends every open stream (the owner stopped); unread requests are answered by handler or policy.</summary>
    public void CompleteStreams() => _router.Complete();

    /// <summary>
    /// The runtime's thread routes (<c>ThreadRouter.TryTake</c>), asked first, on the reader: true when a route took the
    /// request and answers it. Null for a dispatcher on its own.
    /// </summary>
    internal Func<CodexServerRequest, bool>? ThreadRoutes { get; init; }

    /// <summary>How many requests are not answered yet (cheaper than <see cref="Pending"/>).</summary>
    internal int PendingCount => _pending.Count;

    /// <summary>The requests not answered yet, oldest first.</summary>
    public IReadOnlyList<CodexPendingServerRequest> Pending =>
        _pending.Values.Select(p => p.Snapshot).OrderBy(p => p.ReceivedAt).ToArray();

    /// <inheritdoc />
    public void OnNotification(CodexInboundMessage notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        if (notification.Is(CodexNotifications.ServerRequestResolved))
        {
            if (notification.Params.TryGetProperty("requestId"u8, out var id) && ReadId(id) is { } requestId && _pending.TryGetValue(requestId, out var pending))
            {
                pending.Resolve();
            }
        }
        else if (notification.Is(CodexNotifications.TurnCompleted) && notification.TurnId is { } turnId)
        {
            // codex 0.104.0 never says a request was resolved: a turn that ended resolved its requests. (No lambda here:
            // its closure over turnId would be allocated for every notification that reaches this test.)
            foreach (var pending in _pending.Values)
            {
                if (pending.Snapshot.TurnId == turnId)
                {
                    pending.Resolve();
                }
            }
        }

        _inner?.OnNotification(notification);
    }

    /// <inheritdoc />
    public async ValueTask<CodexServerReply> OnServerRequestAsync(CodexInboundMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var deadline = _options.TimeProvider.GetUtcNow() + _options.Deadline;
        var context = new CodexServerRequestContext(request, deadline);
        using var pending = new InFlight(new CodexPendingServerRequest(request.Method, context.Id, context.ThreadId, context.TurnId, context.ItemId, context.ReceivedAt, deadline), _options, cancellationToken);
        _pending[context.Id] = pending;
        var streamed = new CodexServerRequest(request, context);
        CodexServerReply? sent = null;
        try
        {
            sent = await AnswerAsync(request, context, pending, streamed, cancellationToken).ConfigureAwait(false);
            return sent;
        }
        finally
        {
            _pending.TryRemove(context.Id, out _);
            // A stream consumer still holding the request learns that its answer is no longer wanted.
            streamed.Finish(sent);
        }
    }

    private async Task<CodexServerReply> AnswerAsync(CodexInboundMessage request, CodexServerRequestContext context, InFlight pending, CodexServerRequest streamed, CancellationToken cancellationToken)
    {
        try
        {
            if (ThreadRoutes is { } routes && routes(streamed))
            {
                // null: the route ended before its turn read the request; answer it below instead.
                if (await streamed.Reply.WaitAsync(pending.Token).ConfigureAwait(false) is { } routed)
                {
                    return routed;
                }
            }
            else
            {
                // Still on the reader: leave it before any filter or handler (caller code) runs.
                await Task.Yield();
            }

            if (_router.TryRoute(streamed))
            {
                // null: the stream was disposed before its consumer read the request; answer it below instead.
                if (await streamed.Reply.WaitAsync(pending.Token).ConfigureAwait(false) is { } answer)
                {
                    return answer;
                }
            }

            return request.Method switch
            {
                _ when request.Is(CodexServerRequests.ItemCommandExecutionRequestApproval) && _options.CommandApproval is { } h => await RunAsync(h, CodexServerRequests.ItemCommandExecutionRequestApproval, request, context, pending).ConfigureAwait(false),
                _ when request.Is(CodexServerRequests.ItemFileChangeRequestApproval) && _options.FileChangeApproval is { } h => await RunAsync(h, CodexServerRequests.ItemFileChangeRequestApproval, request, context, pending).ConfigureAwait(false),
                _ when request.Is(CodexServerRequests.ItemPermissionsRequestApproval) && _options.PermissionsApproval is { } h => await RunAsync(h, CodexServerRequests.ItemPermissionsRequestApproval, request, context, pending).ConfigureAwait(false),
                _ when request.Is(CodexServerRequests.ItemToolRequestUserInput) && _options.UserInput is { } h => await RunAsync(h, CodexServerRequests.ItemToolRequestUserInput, request, context, pending).ConfigureAwait(false),
                _ when request.Is(CodexServerRequests.ItemToolCall) && _options.DynamicToolCall is { } h => await RunAsync(h, CodexServerRequests.ItemToolCall, request, context, pending).ConfigureAwait(false),
                _ when request.Is(CodexServerRequests.McpServerElicitationRequest) && _options.McpElicitation is { } h => await RunAsync(h, CodexServerRequests.McpServerElicitationRequest, request, context, pending).ConfigureAwait(false),
                _ when request.Is(CodexServerRequests.AccountChatgptAuthTokensRefresh) && _options.AuthTokenRefresh is { } h => await RunAsync(h, CodexServerRequests.AccountChatgptAuthTokensRefresh, request, context, pending).ConfigureAwait(false),
                _ => PolicyReply(request.Method, _options.UnhandledPolicy, CodexRpcErrorCodes.MethodNotFound, "no handler is registered"),
            };
        }
        catch (OperationCanceledException) when (pending.DeadlinePassed)
        {
            Log.ServerRequestDeadline(_logger, request.Method, _options.Deadline.TotalSeconds);
            return PolicyReply(request.Method, _options.DeadlinePolicy, CodexRpcErrorCodes.InternalError, $"its handler did not answer within {_options.Deadline.TotalSeconds:0.###} s");
        }
        catch (OperationCanceledException) when (pending.Resolved || cancellationToken.IsCancellationRequested)
        {
            // codex no longer waits (resolved, turn over) or the connection is closing: the reply is only a formality.
            return PolicyReply(request.Method, CodexServerRequestPolicy.Cancel, CodexRpcErrorCodes.InternalError, "it was resolved before its handler answered");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.ServerRequestHandlerFailed(_logger, ex, request.Method);
            return CodexServerReply.FromError(CodexRpcErrorCodes.InternalError, $"The CodexRuntime handler for '{request.Method}' failed ({ex.GetType().Name}).");
        }
    }

    private static async Task<CodexServerReply> RunAsync<TParams, TResponse>(
        ICodexServerRequestHandler<TParams, TResponse> handler,
        CodexServerRequestType<TParams, TResponse> type,
        CodexInboundMessage request,
        CodexServerRequestContext context,
        InFlight pending)
    {
        var parameters = request.ReadParams(type);
        // WaitAsync: the deadline holds even for a handler that ignores its token.
        var response = await handler.HandleAsync(parameters, context, pending.Token).AsTask().WaitAsync(pending.Token).ConfigureAwait(false);
        return CodexServerReply.FromResult(type, response);
    }

    /// <summary>The policy's answer for <paramref name="method"/>: a decline or cancel where the request has one, else an error.</summary>
    internal static CodexServerReply PolicyReply(string method, CodexServerRequestPolicy policy, int errorCode, string reason)
    {
        if (policy != CodexServerRequestPolicy.Error)
        {
            var decline = policy == CodexServerRequestPolicy.Decline;
            if (method == CodexServerRequests.ItemCommandExecutionRequestApproval.Method)
            {
                return CodexServerReply.FromResult(CodexServerRequests.ItemCommandExecutionRequestApproval, new CommandExecutionRequestApprovalResponse
                {
                    Decision = decline ? new CommandExecutionApprovalDecision.Decline() : new CommandExecutionApprovalDecision.Cancel(),
                });
            }

            if (method == CodexServerRequests.ItemFileChangeRequestApproval.Method)
            {
                return CodexServerReply.FromResult(CodexServerRequests.ItemFileChangeRequestApproval, new FileChangeRequestApprovalResponse
                {
                    Decision = decline ? FileChangeApprovalDecision.Decline : FileChangeApprovalDecision.Cancel,
                });
            }

            if (method == CodexServerRequests.McpServerElicitationRequest.Method)
            {
                return CodexServerReply.FromResult(CodexServerRequests.McpServerElicitationRequest, new McpServerElicitationRequestResponse
                {
                    Action = decline ? McpServerElicitationAction.Decline : McpServerElicitationAction.Cancel,
                });
            }
        }

        return CodexServerReply.FromError(errorCode, $"CodexRuntime did not answer '{method}': {reason}.");
    }

    private static CodexRequestId? ReadId(JsonElement id) => id.ValueKind switch
    {
        JsonValueKind.Number when id.TryGetInt64(out var number) => CodexRequestId.FromNumber(number),
        JsonValueKind.String => CodexRequestId.FromString(id.GetString()!),
        _ => null,
    };

    /// <summary>One request in flight: its snapshot and the token its handler runs under.</summary>
    private sealed class InFlight : IDisposable
    {
        private readonly CancellationTokenSource _deadline;
        private readonly CancellationTokenSource _resolved = new();
        private readonly CancellationTokenSource _linked;

        public InFlight(CodexPendingServerRequest snapshot, CodexServerRequestOptions options, CancellationToken closing)
        {
            Snapshot = snapshot;
            _deadline = new CancellationTokenSource(options.Deadline, options.TimeProvider);
            _linked = CancellationTokenSource.CreateLinkedTokenSource(_deadline.Token, _resolved.Token, closing);
        }

        public CodexPendingServerRequest Snapshot { get; }

        public CancellationToken Token => _linked.Token;

        public bool DeadlinePassed => _deadline.IsCancellationRequested && !_resolved.IsCancellationRequested;

        public bool Resolved => _resolved.IsCancellationRequested;

        public void Resolve()
        {
            try
            {
                _resolved.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Answered and disposed in the meantime.
            }
        }

        public void Dispose()
        {
            _linked.Dispose();
            _deadline.Dispose();
            _resolved.Dispose();
        }
    }
}
