using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using System.Text.Json;
using CodexRuntime.Events;
using CodexRuntime.Protocol;
using CodexRuntime.Rpc;
using CodexRuntime.Safety;
using CodexRuntime.Serialization;
using CodexRuntime.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StreamJsonRpc;

namespace CodexRuntime;

/// <summary>
/// One initialized JSON-RPC connection to a codex app-server. Requests go through StreamJsonRpc with a deadline each;
/// every notification and server request reaches the <see cref="ICodexMessageObserver"/> as raw JSON, whatever its
/// method; every server request is answered (JSON-RPC error -32601 when nobody handles it). When the process exits or
/// the pipe breaks, every pending call fails at once with <see cref="CodexTransportClosedException"/>.
/// </summary>
/// <remarks>
/// The connection owns its transport: disposing the connection disposes the transport (and reaps the process). It is
/// the wiring of its parts: <see cref="CodexHandshake"/> connects, <see cref="OutboundGuard"/> checks every request,
/// <see cref="InboundRouter"/> takes what the reader hands over, <see cref="ConnectionEnd"/> settles how it ends.
/// Internal: users call codex through <c>AppServer</c>, on a <c>CodexRuntimeHost</c> that owns the connection and
/// survives its restarts.
/// </remarks>
internal sealed class CodexConnection : IAsyncDisposable
{
    private readonly ICodexTransport _transport;
    private readonly CodexConnectionOptions _options;
    private readonly ILogger _logger;
    private readonly CodexMessageHandler _handler;
    private readonly CodexJsonRpc _rpc;
    private readonly JsonSerializerOptions _serializerOptions;
    private readonly CancellationTokenSource _closing = new();
    private readonly CodexEnvelopeStream _envelopes;
    private readonly OutboundGuard _guard;
    private readonly ConnectionEnd _end;
    private readonly InboundRouter _inbound;
    private int _disposed;
    private CodexServerInfo? _serverInfo;

    private CodexConnection(ICodexTransport transport, CodexConnectionOptions options, ICodexMessageObserver? observer, ILoggerFactory? loggerFactory, CodexEnvelopeStream? envelopes)
    {
        _transport = transport;
        _options = options;
        _logger = (ILogger?)loggerFactory?.CreateLogger("CodexRuntime.Rpc.CodexConnection") ?? NullLogger.Instance;
        _serializerOptions = CodexJsonContext.CreateOptions(options.TypeInfoResolver);
        // A runtime passes its own stream so that subscriptions outlive a restarted connection; otherwise it is ours.
        var ownsEnvelopes = envelopes is null;
        _envelopes = envelopes ?? new CodexEnvelopeStream(options.TimeProvider, CodexSubscriptionOverflowException.Create);
        _guard = new OutboundGuard(options, _serializerOptions);
        _end = new ConnectionEnd(transport, options, _logger, _closing, () =>
        {
            if (ownsEnvelopes)
            {
                _envelopes.Complete();
            }
        }, () => IsDisposed);

        var formatter = CreateFormatter(_serializerOptions);
        // No line cap: codex sends tens of MB in one line on resume. 64 KB reads keep big lines cheap to assemble.
        var reader = PipeReader.Create(transport.Output, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 16 * 1024, leaveOpen: true));
        var writer = PipeWriter.Create(transport.Input, new StreamPipeWriterOptions(leaveOpen: true));
        _inbound = new InboundRouter(_envelopes, options.TimeProvider, observer, _logger, _closing.Token, (method, message) => SendRawAsync(method, message, CancellationToken.None));
        _handler = new CodexMessageHandler(writer, reader, formatter, _inbound);
        _rpc = new CodexJsonRpc(_handler)
        {
            // codex does not know "$/cancelRequest"; a cancelled call is abandoned locally instead.
            CancellationStrategy = null,
        };
        _rpc.Disconnected += (_, e) => _ = _end.FinishAsync(e.Description);
        _rpc.StartListening();
        _ = _end.WatchProcessExitAsync(_rpc.Dispose);
    }

    /// <summary>What the server said about itself in <c>initialize</c>.</summary>
    public CodexServerInfo ServerInfo => _serverInfo ?? throw new InvalidOperationException("The connection is not initialized yet.");

    /// <summary>The transport this connection owns.</summary>
    public ICodexTransport Transport => _transport;

    /// <summary>Completes when the connection has ended, with why.</summary>
    public Task<CodexDisconnectInfo> Completion => _end.Completion;

    /// <summary>True until the connection ends.</summary>
    public bool IsConnected => !Completion.IsCompleted && !IsDisposed;

    private bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>Inbound lines that were not JSON-RPC messages; each was logged and skipped.</summary>
    public long MalformedLineCount => _inbound.MalformedLineCount;

    /// <summary>Notifications received so far.</summary>
    public long NotificationCount => _inbound.NotificationCount;

    /// <summary>Server requests received so far (each one is answered).</summary>
    public long ServerRequestCount => _inbound.ServerRequestCount;

    /// <summary>Envelopes lost across all subscribers because a subscriber's queue was full.</summary>
    public long DroppedEnvelopeCount => _envelopes.DroppedCount;

    /// <summary>
    /// Subscribes to the envelope stream of a bare connection (tests, benchmarks). Users subscribe in one place,
    /// <c>CodexRuntimeHost.Subscribe</c>, whose stream outlives a restarted connection.
    /// </summary>
    internal CodexEnvelopeSubscription Subscribe(CodexSubscriptionOptions? options = null) =>
        _envelopes.Subscribe(options ?? new CodexSubscriptionOptions());

    /// <summary>
    /// Connects over <paramref name="transport"/>: sends <c>initialize</c>, checks the server version, then sends
    /// <c>initialized</c>. On failure the transport is disposed (its process reaped) before the exception surfaces.
    /// </summary>
    /// <param name="transport">The transport; the connection owns it from now on.</param>
    /// <param name="options">Connection options; defaults when null.</param>
    /// <param name="observer">Receives every notification and server request; with none, notifications are only counted and server requests get -32601.</param>
    /// <param name="loggerFactory">Logging; optional.</param>
    /// <param name="cancellationToken">Cancels the handshake (and disposes the transport).</param>
    /// <returns>The initialized connection.</returns>
    /// <exception cref="CodexCompatibilityException">The server is older than <see cref="CodexConnectionOptions.MinimumVersion"/>.</exception>
    /// <exception cref="CodexConnectException">The handshake failed.</exception>
    public static Task<CodexConnection> ConnectAsync(
        ICodexTransport transport,
        CodexConnectionOptions? options = null,
        ICodexMessageObserver? observer = null,
        ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default) =>
        ConnectAsync(transport, options, observer, loggerFactory, envelopes: null, cancellationToken);

    /// <summary>Connects, publishing envelopes into <paramref name="envelopes"/> (owned by the caller, not completed when this connection ends).</summary>
    internal static async Task<CodexConnection> ConnectAsync(
        ICodexTransport transport,
        CodexConnectionOptions? options,
        ICodexMessageObserver? observer,
        ILoggerFactory? loggerFactory,
        CodexEnvelopeStream? envelopes,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transport);
        CodexConnection connection;
        try
        {
            connection = new CodexConnection(transport, options ?? new CodexConnectionOptions(), observer, loggerFactory, envelopes);
        }
        catch
        {
            // The connection owns the transport from the call on: a process must not outlive a failed construction.
            await transport.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        try
        {
            connection._serverInfo = await CodexHandshake.RunAsync(connection, connection._options, connection._logger, cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts <c>codex app-server</c> (see <see cref="CodexProcessTransport.Start"/>) and connects to it.</summary>
    /// <param name="processOptions">How to start codex.</param>
    /// <param name="options">Connection options; defaults when null.</param>
    /// <param name="observer">Receives every notification and server request.</param>
    /// <param name="loggerFactory">Logging; optional.</param>
    /// <param name="cancellationToken">Cancels the start and handshake; the process is reaped.</param>
    /// <returns>The initialized connection, owning the process.</returns>
    public static async Task<CodexConnection> StartAsync(
        CodexProcessOptions processOptions,
        CodexConnectionOptions? options = null,
        ICodexMessageObserver? observer = null,
        ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        // The process options also say whether codex listens on a socket (start-and-attach) or already runs (attach-only).
        var transport = await CodexTransportFactory.OpenAsync(processOptions, loggerFactory, cancellationToken).ConfigureAwait(false);
        return await ConnectAsync(transport, options, observer, loggerFactory, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a request with raw JSON params and returns the raw JSON result.</summary>
    /// <param name="method">The JSON-RPC method, e.g. <c>thread/start</c>.</param>
    /// <param name="parameters">The params object; omitted from the message when null.</param>
    /// <param name="timeout">Deadline; <see cref="CodexConnectionOptions.RequestTimeout"/> when null.</param>
    /// <param name="cancellationToken">Abandons the call (codex is not told: it has no cancel message).</param>
    /// <returns>The result.</returns>
    /// <exception cref="CodexRpcException">The server answered with an error (see the subtypes per code).</exception>
    /// <exception cref="CodexTimeoutException">No answer within the deadline.</exception>
    /// <exception cref="CodexTransportClosedException">The connection closed before an answer came.</exception>
    /// <exception cref="CodexRequestValidationException">A known method was refused before sending (see <see cref="CodexConnectionOptions.ValidationMode"/>).</exception>
    public Task<JsonElement> RequestAsync(string method, JsonElement? parameters = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        SendAsync<JsonElement>(method, parameters is { } p ? p : null, timeout, privilegedEscalation: false, cancellationToken);

    /// <summary>
    /// Calls a method of the protocol catalog (<see cref="CodexMethods"/>) with typed params and result. Before anything
    /// is sent it checks the experimental opt-in (for the method and for each experimental field that is set) and that
    /// the connected codex has the method.
    /// </summary>
    /// <typeparam name="TParams">The params type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="method">The method, e.g. <c>CodexMethods.ThreadStart</c>.</param>
    /// <param name="parameters">The params (<see cref="CodexNoParams.Value"/> for methods without).</param>
    /// <param name="timeout">Deadline; <see cref="CodexConnectionOptions.RequestTimeout"/> when null.</param>
    /// <param name="cancellationToken">Abandons the call.</param>
    /// <returns>The typed result.</returns>
    /// <exception cref="CodexRequestValidationException">Refused before sending: experimental without opt-in, or not in the connected codex.</exception>
    /// <exception cref="CodexRpcException">The server answered with an error.</exception>
    /// <exception cref="CodexTimeoutException">No answer within the deadline.</exception>
    /// <exception cref="CodexTransportClosedException">The connection closed before an answer came.</exception>
    public Task<TResult> CallAsync<TParams, TResult>(CodexMethod<TParams, TResult> method, TParams parameters, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        CallAsync(method, parameters, timeout, privilegedEscalation: false, cancellationToken);

    /// <summary>
    /// <see cref="CallAsync{TParams, TResult}(CodexMethod{TParams, TResult}, TParams, TimeSpan?, CancellationToken)"/> for
    /// callers that carry their own opt-in to privileged escalation (a session's <c>RunProfile</c>).
    /// </summary>
    internal Task<TResult> CallAsync<TParams, TResult>(CodexMethod<TParams, TResult> method, TParams parameters, TimeSpan? timeout, bool privilegedEscalation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(parameters);
        // Method-level rules are checked in SendAsync, on every path; fields can only be checked on typed params.
        _guard.CheckFields(method, parameters);
        return SendAsync<TResult>(method.Name, parameters is CodexNoParams ? null : parameters, timeout, privilegedEscalation, cancellationToken);
    }

    /// <summary>Sends a notification (no answer is expected).</summary>
    /// <param name="method">The method, e.g. <c>initialized</c>.</param>
    /// <param name="parameters">The params object; omitted when null.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the message is written.</returns>
    /// <exception cref="CodexTransportClosedException">The connection is closed.</exception>
    public async Task NotifyAsync(string method, JsonElement? parameters = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        var bytes = WireWriter.Write(writer =>
        {
            writer.WriteString("method"u8, method);
            if (parameters is { } p)
            {
                writer.WritePropertyName("params"u8);
                p.WriteTo(writer);
            }
        });
        await SendRawAsync(method, new RawOutboundMessage(bytes, CodexEnvelopeKind.Notification, method, null), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the connection: the transport is disposed (codex's stdin closed, the process reaped), pending calls fail.</summary>
    /// <returns>A task that completes when everything is released.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            await Completion.ConfigureAwait(false);
            return;
        }

        await _closing.CancelAsync().ConfigureAwait(false);
        try
        {
            // The reader keeps draining codex's output while it shuts down, so a chatty server cannot stall its exit.
            await _transport.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _rpc.Dispose();
            try
            {
                await _rpc.Completion.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The read loop ended with the transport; why is already in the disconnect info.
            }

            // _closing is not disposed: calls racing with dispose may still read its token, and it owns no timer.
            await _end.FinishAsync("the connection was disposed").ConfigureAwait(false);
        }
    }

    // StreamJsonRpc marks its System.Text.Json formatter and the object-argument call as not trim/AOT safe because
    // they hand user types to JsonSerializer through the options. Ours carry only source-generated metadata
    // (CodexJsonContext plus the user's TypeInfoResolver), inbound notifications and server requests never reach the
    // formatter (CodexMessageHandler routes them as raw JSON), and the native AOT QuickRun run proves the path (docs/aot.md).
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Serialization goes through the source-generated resolver in the options; see docs/aot.md.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Serialization goes through the source-generated resolver in the options; see docs/aot.md.")]
    private static SystemTextJsonFormatter CreateFormatter(JsonSerializerOptions options) => new() { JsonSerializerOptions = options };

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The argument is serialized through the source-generated resolver in the formatter's options; see docs/aot.md.")]
    private static Task<T> Invoke<T>(JsonRpc rpc, string method, object? argument, CancellationToken cancellationToken) =>
        rpc.InvokeWithParameterObjectAsync<T>(method, argument, cancellationToken);

    /// <summary>Sends one request: the guard, then the call with its deadline, then the server's answer or a typed failure.</summary>
    internal async Task<T> SendAsync<T>(string method, object? argument, TimeSpan? timeout, bool privilegedEscalation, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        // Every request path (raw, catalog, the handshake) passes here, so the guard holds for all of them.
        _guard.Check(method, argument, _serverInfo, privilegedEscalation);

        if (!IsConnected)
        {
            throw await _end.ClosedExceptionAsync(method, null).ConfigureAwait(false);
        }

        var deadline = timeout ?? _options.RequestTimeout;
        using var timeoutSource = new CancellationTokenSource(deadline, _options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token, _closing.Token);
        Task<T> call;
        try
        {
            // StreamJsonRpc gets only the closing token: a call abandoned at its deadline stays pending there until
            // codex answers, so the late answer is matched instead of looking like a protocol violation.
            call = Invoke<T>(_rpc, method, argument, _closing.Token);
        }
        catch (Exception ex) when (ex is ObjectDisposedException or ConnectionLostException or IOException)
        {
            throw await _end.ClosedExceptionAsync(method, ex).ConfigureAwait(false);
        }

        try
        {
            // WaitAsync: the caller gets control back at the deadline even though codex is never told to cancel.
            return await call.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (RemoteRpcException ex) when (ex is RemoteInvocationException or RemoteMethodNotFoundException)
        {
            // StreamJsonRpc reports -32601 and -32602 as RemoteMethodNotFoundException, everything else as
            // RemoteInvocationException; both carry the server's code, message and data.
            var code = ex is RemoteInvocationException invocation ? invocation.ErrorCode : (int)((RemoteMethodNotFoundException)ex).ErrorCode;
            var data = ex.DeserializedErrorData is JsonElement d ? d : ex.ErrorData is JsonElement raw ? raw : (JsonElement?)null;
            throw CodexRpcException.Create(method, code, ex.Message, data);
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
        {
            Observe(call);
            throw new OperationCanceledException($"'{method}' was cancelled by the caller.", ex, cancellationToken);
        }
        catch (OperationCanceledException ex) when (timeoutSource.IsCancellationRequested && !_closing.IsCancellationRequested)
        {
            Observe(call);
            throw new CodexTimeoutException(method, deadline, ex);
        }
        catch (Exception ex) when (ex is ConnectionLostException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            // IOException: the write hit a pipe the process already closed (it exited before reading the request).
            Observe(call);
            throw await _end.ClosedExceptionAsync(method, ex).ConfigureAwait(false);
        }
    }

    private static void Observe(Task task) =>
        task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    private async Task SendRawAsync(string method, RawOutboundMessage message, CancellationToken cancellationToken)
    {
        if (!IsConnected)
        {
            throw await _end.ClosedExceptionAsync(method, null).ConfigureAwait(false);
        }

        try
        {
            await _handler.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or ConnectionLostException)
        {
            throw await _end.ClosedExceptionAsync(method, ex).ConfigureAwait(false);
        }
    }
}
