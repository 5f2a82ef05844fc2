using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using CodexRuntime.Transport;

// The root namespace: attaching fails with CodexConnectException, a root exception, and Transport (below the root)
// names none; the file stays in Transport/ until the folders are regrouped.
namespace CodexRuntime;

/// <summary>
/// A connection to a codex app-server that listens on <c>unix:///path</c> or <c>ws://IP:PORT</c>
/// (<c>codex app-server --listen</c>): a WebSocket with one JSON-RPC message per text frame. Attach-only when made by
/// <see cref="ConnectAsync"/>; start-and-attach (it also owns the codex process) when made through
/// <see cref="CodexProcessOptions.Listen"/>. Disposing closes the WebSocket; an owned process is then stopped and reaped
/// as <see cref="CodexProcessTransport"/> does, an attached server keeps running.
/// </summary>
public sealed class CodexWebSocketTransport : ICodexTransport
{
    private readonly ClientWebSocket _socket;
    private readonly HttpMessageInvoker? _invoker;
    private readonly WebSocketLineStream _stream;
    private readonly CodexProcessTransport? _server;
    private readonly TaskCompletionSource<CodexTransportExit> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposed;

    private CodexWebSocketTransport(CodexEndpoint endpoint, ClientWebSocket socket, HttpMessageInvoker? invoker, CodexProcessTransport? server)
    {
        Endpoint = endpoint;
        _socket = socket;
        _invoker = invoker;
        _server = server;
        _stream = new WebSocketLineStream(socket, why => _exited.TrySetResult(new CodexTransportExit(null, why)));
        if (server is not null)
        {
            _ = server.Exited.ContinueWith(
                exit => _exited.TrySetResult(exit.Result),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously | TaskContinuationOptions.OnlyOnRanToCompletion,
                TaskScheduler.Default);
        }
    }

    /// <summary>Where the app-server listens.</summary>
    public CodexEndpoint Endpoint { get; }

    /// <summary>The codex process this transport started and owns (start-and-attach); null when it only attached.</summary>
    public CodexProcessTransport? Server => _server;

    /// <summary>The response header in which codex states the largest message it takes in one frame, when it sent one.</summary>
    public long? MaxUnfragmentedMessageBytes { get; private init; }

    /// <inheritdoc />
    public Stream Input => _stream;

    /// <inheritdoc />
    public Stream Output => _stream;

    /// <inheritdoc />
    public Task<CodexTransportExit> Exited => _exited.Task;

    /// <inheritdoc />
    public string StderrTail => _server?.StderrTail ?? string.Empty;

    /// <summary>Attaches to an app-server that is already listening (attach-only: nothing is started, nothing is stopped).</summary>
    /// <param name="endpoint">A <c>unix://</c> or <c>ws://</c> endpoint.</param>
    /// <param name="token">
    /// Sent as <c>Authorization: Bearer</c>: the capability token (<c>--ws-auth capability-token</c>) or a signed JWT
    /// (<c>--ws-auth signed-bearer-token</c>); null for a listener without auth (a Unix socket, or ws:// on loopback).
    /// </param>
    /// <param name="timeout">Deadline for the socket connect and the WebSocket upgrade.</param>
    /// <param name="cancellationToken">Cancels the connect.</param>
    /// <returns>The connected transport, for the runtime (<see cref="CodexRuntimeHost"/>) to run its connection over.</returns>
    /// <exception cref="CodexConnectException">Nothing listens there, the upgrade was refused (a wrong or missing token says so), or the deadline passed.</exception>
    public static Task<CodexWebSocketTransport> ConnectAsync(CodexEndpoint endpoint, string? token = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        AttachAsync(endpoint, token, timeout ?? TimeSpan.FromSeconds(10), server: null, cancellationToken);

    internal static async Task<CodexWebSocketTransport> AttachAsync(CodexEndpoint endpoint, string? token, TimeSpan timeout, CodexProcessTransport? server, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoint.Kind == CodexEndpointKind.Stdio)
        {
            throw new ArgumentException("stdio:// is not a socket: start codex with CodexProcessTransport instead.", nameof(endpoint));
        }

        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(30);
        // DangerousDeflateOptions stays unset on purpose: codex's unix listener drops a handshake that offers
        // permessage-deflate, and ClientWebSocket offers it only when asked.
        if (token is not null)
        {
            socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        }

        HttpMessageInvoker? invoker = null;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            if (endpoint.Kind == CodexEndpointKind.UnixSocket)
            {
                var path = endpoint.SocketPath!;
                invoker = new HttpMessageInvoker(new SocketsHttpHandler
                {
                    ConnectCallback = async (_, ct) =>
                    {
                        var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                        try
                        {
                            await unix.ConnectAsync(new UnixDomainSocketEndPoint(path), ct).ConfigureAwait(false);
                            return new NetworkStream(unix, ownsSocket: true);
                        }
                        catch
                        {
                            unix.Dispose();
                            throw;
                        }
                    },
                });
                await socket.ConnectAsync(endpoint.WebSocketUri, invoker, deadline.Token).ConfigureAwait(false);
            }
            else
            {
                await socket.ConnectAsync(endpoint.WebSocketUri, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException or SocketException or OperationCanceledException or IOException)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            invoker?.Dispose();
            if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new CodexConnectException(DescribeFailure(endpoint, token, status, timeout, ex), ex);
        }

        long? maxBytes = socket.HttpResponseHeaders is { } headers
            && headers.TryGetValue("x-codex-websocket-max-unfragmented-message-bytes", out var values)
            && long.TryParse(values.FirstOrDefault(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var max)
            ? max
            : null;
        // The response headers are kept only for the line above.
        socket.HttpResponseHeaders = null;
        return new CodexWebSocketTransport(endpoint, socket, invoker, server) { MaxUnfragmentedMessageBytes = maxBytes };
    }

    private static string DescribeFailure(CodexEndpoint endpoint, string? token, HttpStatusCode status, TimeSpan timeout, Exception ex) => status switch
    {
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden when token is null =>
            $"The codex app-server at {endpoint} refused the WebSocket connection ({(int)status} {status}): it requires a token and none was given. Set CodexProcessOptions.WebSocketToken (sent as 'Authorization: Bearer').",
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
            $"The codex app-server at {endpoint} refused the WebSocket connection ({(int)status} {status}): the token was not accepted. Check CodexProcessOptions.WebSocketToken against the server's --ws-token-file / --ws-token-sha256 (or the JWT's secret, issuer, audience and expiry).",
        0 when ex is OperationCanceledException =>
            $"The codex app-server at {endpoint} did not accept a WebSocket connection within {timeout.TotalSeconds:0.#} s.",
        0 =>
            $"No codex app-server accepted a connection at {endpoint}: {ex.Message}. Start one with 'codex app-server --listen {endpoint}' or let CodexRuntime start it (CodexProcessOptions.Listen).",
        _ =>
            $"The codex app-server at {endpoint} answered the WebSocket upgrade with {(int)status} {status} instead of 101: {ex.Message}",
    };

    /// <summary>
    /// Closes the WebSocket (a close frame with a short deadline, then the socket). With an owned server, the process is
    /// then stopped and reaped; an attached server keeps running, with its threads and running turns.
    /// </summary>
    /// <returns>A task that completes when everything owned is released.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            await Exited.ConfigureAwait(false);
            return;
        }

        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var closeDeadline = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "client closed", closeDeadline.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // The peer is gone already; aborting below is all that is left.
        }
        finally
        {
            _socket.Abort();
            _socket.Dispose();
            _invoker?.Dispose();
            if (_server is not null)
            {
                await _server.DisposeAsync().ConfigureAwait(false);
            }

            _exited.TrySetResult(new CodexTransportExit(null, "the WebSocket transport was disposed"));
        }
    }
}
