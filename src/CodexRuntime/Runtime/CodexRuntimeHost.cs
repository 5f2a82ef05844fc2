using System.Text.Json;
using CodexRuntime.Diagnostics;
using CodexRuntime.Events;
using CodexRuntime.Protocol;
using CodexRuntime.Routing;
using CodexRuntime.Rpc;
using CodexRuntime.ServerRequests;
using CodexRuntime.State;
using CodexRuntime.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CodexRuntime;

/// <summary>
/// Layer 6: one codex app-server under full control. It owns the connection (and the process), and outlives it when
/// the restart policy starts a new one. It offers the calls to codex (<see cref="AppServer"/>, the one call surface),
/// the live envelope stream (inbound, outbound and lifecycle events, in one order, for any number of subscribers; the
/// only place to subscribe), state snapshots, server-request handling (typed handlers, streams, policy, deadline),
/// metrics, tracing and event sinks.
/// </summary>
/// <remarks>
/// Nothing starts in the constructor: call <see cref="StartAsync"/>. Dispose (or <see cref="StopAsync"/>) shuts down in
/// order: codex's stdin is closed, then it is terminated, then its process tree is killed; pending calls fail with
/// <see cref="CodexTransportClosedException"/>; every stream completes; sinks are drained.
/// </remarks>
public sealed class CodexRuntimeHost : IAsyncDisposable
{
    private readonly CodexRuntimeOptions _options;
    private readonly ILoggerFactory? _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CodexEnvelopeStream _envelopes;
    private readonly CodexServerRequestDispatcher _dispatcher;
    private readonly CodexStateProjection _projection;
    private readonly NoticeRecorder _notices;
    private readonly ThreadRouter _router = new();
    private readonly CodexRuntimeTelemetry _telemetry;
    private readonly RuntimeLifecycle _lifecycle;
    private readonly ConnectionSupervisor _supervisor;
    private readonly List<EventSinkPump> _sinks = [];
    private readonly Lock _gate = new();
    private Task? _stop;
    private int _started;
    private int _finished;

    /// <summary>Creates the runtime. Nothing is started until <see cref="StartAsync"/>.</summary>
    /// <param name="options">The options; checked by <see cref="StartAsync"/>.</param>
    /// <param name="loggerFactory">Logging; optional.</param>
    public CodexRuntimeHost(CodexRuntimeOptions options, ILoggerFactory? loggerFactory = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _loggerFactory = loggerFactory;
        _logger = (ILogger?)loggerFactory?.CreateLogger("CodexRuntime.CodexRuntimeHost") ?? NullLogger.Instance;
        _time = options.Connection?.TimeProvider ?? TimeProvider.System;
        _envelopes = new CodexEnvelopeStream(_time, CodexSubscriptionOverflowException.Create);
        _dispatcher = new CodexServerRequestDispatcher(options.ServerRequests ?? new CodexServerRequestOptions(), null, loggerFactory) { ThreadRoutes = _router.TryTake };
        _projection = new CodexStateProjection(options.State ?? new CodexStateOptions(), _time, _logger, new TurnTracing());
        _telemetry = new CodexRuntimeTelemetry(options.MeterFactory, _time, Gauges);
        _notices = new NoticeRecorder(_logger, _time);
        _lifecycle = new RuntimeLifecycle(_envelopes);
        var observer = new Observer(this);
        _supervisor = new ConnectionSupervisor(
            options.RestartPolicy,
            cancellationToken => ConnectAsync(observer, cancellationToken),
            _lifecycle,
            new LossHandler(this),
            _logger,
            _time);
        AppServer = new AppServer(this);
    }

    /// <summary>
    /// The calls to codex on this runtime: a typed helper per stable method, <see cref="AppServer.CallAsync"/> for any
    /// catalog method, and the raw escape hatch for the rest. It does not own the runtime.
    /// </summary>
    public AppServer AppServer { get; }

    /// <summary>Where the connection is in its life.</summary>
    public CodexConnectionStatus Status => _supervisor.Status;

    /// <summary>What the connected codex said about itself in <c>initialize</c>.</summary>
    /// <exception cref="InvalidOperationException">The runtime has not connected yet.</exception>
    public CodexServerInfo ServerInfo => _supervisor.Connection?.ServerInfo ?? throw new InvalidOperationException("The runtime has not connected yet; call StartAsync first.");

    /// <summary>An immutable snapshot of the connection, threads, turns, items and pending server requests.</summary>
    public CodexRuntimeState State => new(ConnectionState, _projection.SnapshotThreads(), _dispatcher.Pending, _time.GetUtcNow());

    /// <summary>
    /// codex's own signals, most recent last (at most 100): retried and final errors, warnings, config warnings and
    /// deprecation notices. Each is also logged at Warning; those about a running turn also reach its stream
    /// (<see cref="RetryingEvent"/>, <see cref="WarningEvent"/>).
    /// </summary>
    public IReadOnlyList<CodexNotice> Notices => _notices.Recent;

    /// <summary>The connection part of <see cref="State"/> alone, without copying every thread (sessions read it per call).</summary>
    internal CodexConnectionState ConnectionState => _supervisor.State;

    /// <summary>
    /// Subscribes to the live envelope stream: every message from now on, inbound, outbound (unless turned off) and
    /// lifecycle (<c>codexRuntime/*</c>), in one order shared by all subscribers, across restarts. The runtime never
    /// waits for a subscriber: a full queue applies <see cref="CodexSubscriptionOptions.Overflow"/> and counts the loss
    /// (<see cref="CodexEnvelopeSubscription.DroppedCount"/>, <see cref="CodexMetricsSnapshot.DroppedEvents"/>); recover
    /// a turn's terminal state with <see cref="RecoverTurnAsync"/>. The stream completes when the runtime stops.
    /// </summary>
    /// <param name="options">Capacity, overflow behaviour, filter; defaults when null.</param>
    /// <returns>The subscription; dispose it to unsubscribe.</returns>
    public CodexEnvelopeSubscription Subscribe(CodexSubscriptionOptions? options = null) => _envelopes.Subscribe(options ?? new CodexSubscriptionOptions());

    /// <summary>
    /// Opens a stream of server requests for a consumer to answer (<see cref="CodexServerRequest.RespondAsync(JsonElement)"/>,
    /// <see cref="CodexServerRequest.RespondErrorAsync"/>). Streams are asked before the typed handlers; several can be
    /// open, each with its own filter, plus one catch-all (see <see cref="CodexServerRequestStream"/>).
    /// </summary>
    /// <param name="options">Which requests the stream claims; all when null.</param>
    /// <returns>The stream; dispose it to stop claiming.</returns>
    /// <exception cref="InvalidOperationException">A catch-all stream is already open.</exception>
    public CodexServerRequestStream OpenServerRequestStream(CodexServerRequestStreamOptions? options = null) => _dispatcher.OpenStream(options);

    /// <summary>Starts codex (or connects through <see cref="CodexRuntimeOptions.TransportFactory"/>) and initializes it.</summary>
    /// <param name="cancellationToken">Cancels the start; a started process is reaped.</param>
    /// <returns>A task that completes when the runtime is connected.</returns>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    /// <exception cref="InvalidOperationException">StartAsync was already called.</exception>
    /// <exception cref="CodexConnectException">codex could not be started or initialized.</exception>
    /// <exception cref="CodexCompatibilityException">codex is older than the supported minimum.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var problems = _options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("The codex runtime options are invalid:\n- " + string.Join("\n- ", problems), "options");
        }

        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException($"StartAsync was already called (the runtime is {_supervisor.Status}); create a new CodexRuntimeHost to start again.");
        }

        // Sinks subscribe first, so they see the handshake too.
        foreach (var sink in _options.EventSinks)
        {
            var subscription = _envelopes.Subscribe(new CodexSubscriptionOptions { Capacity = _options.EventSinkCapacity, Overflow = CodexSubscriptionOverflow.DropNewest });
            _sinks.Add(new EventSinkPump(sink, subscription, _telemetry, _time, _logger));
        }

        _telemetry.Start();
        await _supervisor.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The runtime's clock (<see cref="CodexConnectionOptions.TimeProvider"/>).</summary>
    internal TimeProvider TimeProvider => _time;

    /// <summary>
    /// The raw escape hatch under <see cref="CodexRuntime.AppServer.SendRawRequestAsync"/>: any method by name, raw JSON
    /// params and result, through the same supervision, telemetry and outbound guard as the typed calls.
    /// </summary>
    internal Task<JsonElement> RequestAsync(string method, JsonElement? parameters = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        InvokeAsync(method, timeout, cancellationToken, (connection, remaining) => connection.RequestAsync(method, parameters, remaining, cancellationToken));

    /// <summary>A catalog call (<see cref="CodexMethods"/>) with typed params and result, after the catalog checks; what <see cref="AppServer"/>'s helpers call.</summary>
    internal Task<TResult> CallAsync<TParams, TResult>(CodexMethod<TParams, TResult> method, TParams parameters, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        CallAsync(method, parameters, privilegedEscalation: false, timeout, cancellationToken);

    /// <summary>A catalog call carrying the caller's own opt-in to privileged escalation (sessions: <c>RunProfile</c>).</summary>
    internal Task<TResult> CallAsync<TParams, TResult>(CodexMethod<TParams, TResult> method, TParams parameters, bool privilegedEscalation, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(method);
        return InvokeAsync(method.Name, timeout, cancellationToken, (connection, remaining) => connection.CallAsync(method, parameters, remaining, privilegedEscalation, cancellationToken));
    }

    /// <summary>The notification half of the raw escape hatch (<see cref="CodexRuntime.AppServer.SendRawNotificationAsync"/>).</summary>
    internal async Task NotifyAsync(string method, JsonElement? parameters = null, CancellationToken cancellationToken = default)
    {
        var connection = await _supervisor.CurrentAsync(method, _options.Connection.RequestTimeout, cancellationToken).ConfigureAwait(false);
        await connection.NotifyAsync(method, parameters, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits until a turn ends (completed, interrupted or failed) and returns its state. Returns at once for a turn that
    /// already ended. Call it before or after <c>turn/start</c> returns: the projection sees <c>turn/completed</c>
    /// whenever it arrives.
    /// </summary>
    /// <param name="threadId">The thread.</param>
    /// <param name="turnId">The turn.</param>
    /// <param name="timeout">How long to wait; unbounded turns are the caller's choice, so this is required.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The turn's final snapshot.</returns>
    /// <exception cref="CodexTimeoutException">The turn did not end in time.</exception>
    /// <exception cref="CodexTransportClosedException">codex ended while the turn ran.</exception>
    public async Task<CodexTurnSnapshot> WaitForTurnAsync(string threadId, string turnId, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(threadId);
        ArgumentException.ThrowIfNullOrEmpty(turnId);
        try
        {
            return await _projection.WaitForTurnAsync(threadId, turnId, cancellationToken).WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new CodexTimeoutException($"waiting for turn {turnId}", timeout, ex);
        }
    }

    /// <summary>
    /// Reads a turn's state from codex itself (<c>thread/read</c> with turns): the way to recover a turn's terminal state
    /// when a subscriber lost events.
    /// </summary>
    /// <param name="threadId">The thread.</param>
    /// <param name="turnId">The turn.</param>
    /// <param name="cancellationToken">Abandons the call.</param>
    /// <returns>The turn as codex knows it, or null when the thread has no such turn.</returns>
    public async Task<Turn?> RecoverTurnAsync(string threadId, string turnId, CancellationToken cancellationToken = default)
    {
        var read = await CallAsync(CodexMethods.ThreadRead, new ThreadReadParams { ThreadId = threadId, IncludeTurns = true }, cancellationToken: cancellationToken).ConfigureAwait(false);
        return read.Thread.Turns.FirstOrDefault(t => t.Id == turnId);
    }

    /// <summary>The runtime's counters now (the same figures the <see cref="CodexDiagnostics.MeterName"/> meter reports).</summary>
    /// <returns>The snapshot.</returns>
    public CodexMetricsSnapshot MetricsSnapshot() => _telemetry.Snapshot(_supervisor.MalformedLineCount);

    /// <summary>
    /// Shuts down in order: no more restarts; codex's stdin is closed, then it is terminated and its process tree
    /// killed (see <see cref="CodexProcessOptions.ShutdownTimeout"/>); pending calls and turn waits fail with
    /// <see cref="CodexTransportClosedException"/>; server-request streams and envelope subscriptions complete; sinks
    /// are drained and disposed. Idempotent.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting (the shutdown itself continues).</param>
    /// <returns>A task that completes when everything is released.</returns>
    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _stop ??= StopCoreAsync();
        }

        return _stop.WaitAsync(cancellationToken);
    }

    /// <summary>Same as <see cref="StopAsync"/>.</summary>
    /// <returns>A task that completes when everything is released.</returns>
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private (long PendingServerRequests, long DroppedEvents, long SinkQueueDepth, long SinkDrops) Gauges()
    {
        long depth = 0, drops = 0;
        foreach (var sink in _sinks.ToArray())
        {
            depth += sink.QueueDepth;
            drops += sink.Drops;
        }

        return (_dispatcher.PendingCount, _envelopes.DroppedCount, depth, drops);
    }

    private async Task<T> InvokeAsync<T>(string method, TimeSpan? timeout, CancellationToken cancellationToken, Func<CodexConnection, TimeSpan, Task<T>> call)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        var deadline = timeout ?? _options.Connection.RequestTimeout;
        var scope = _telemetry.StartRequest(method);
        Exception? error = null;
        var answered = false;
        try
        {
            var started = _time.GetTimestamp();
            var connection = await _supervisor.CurrentAsync(method, deadline, cancellationToken).ConfigureAwait(false);
            var remaining = deadline - _time.GetElapsedTime(started);
            var result = await call(connection, remaining > TimeSpan.Zero ? remaining : TimeSpan.FromMilliseconds(1)).ConfigureAwait(false);
            answered = true;
            ObserveResult(result);
            return result;
        }
        catch (CodexRpcException ex)
        {
            error = ex;
            answered = true;
            throw;
        }
        catch (Exception ex)
        {
            error = ex;
            throw;
        }
        finally
        {
            _telemetry.EndRequest(scope, error, answered);
        }
    }

    /// <summary>Threads named in start/resume/fork results enter the projection even when codex sends no <c>thread/started</c>.</summary>
    private void ObserveResult<T>(T result)
    {
        switch (result)
        {
            case ThreadStartResponse start:
                _projection.ObserveThread(start.Thread);
                break;
            case ThreadResumeResponse resume:
                _projection.ObserveThread(resume.Thread);
                break;
            case ThreadForkResponse fork:
                _projection.ObserveThread(fork.Thread);
                break;
        }
    }

    private async Task<CodexConnection> ConnectAsync(ICodexMessageObserver observer, CancellationToken cancellationToken)
    {
        var transport = _options.TransportFactory is { } factory
            ? await factory(cancellationToken).ConfigureAwait(false)
            : await CodexTransportFactory.OpenAsync(_options.Process, _loggerFactory, cancellationToken).ConfigureAwait(false);
        return await CodexConnection.ConnectAsync(transport, _options.Connection, observer, _loggerFactory, _envelopes, cancellationToken).ConfigureAwait(false);
    }

    private async Task StopCoreAsync()
    {
        await _supervisor.StopAsync().ConfigureAwait(false);
        _telemetry.Dispose();
    }

    /// <summary>Completes every stream once: server-request streams, envelope subscriptions (after a last lifecycle event), sinks.</summary>
    private async Task FinishAsync(CodexConnectionStatus status, string reason)
    {
        if (Interlocked.Exchange(ref _finished, 1) != 0)
        {
            return;
        }

        _dispatcher.CompleteStreams();
        _lifecycle.Ended(status == CodexConnectionStatus.Faulted, reason);
        _envelopes.Complete();
        await Task.WhenAll(_sinks.Select(s => s.DrainAsync(_options.EventSinkDrainTimeout))).ConfigureAwait(false);
    }

    /// <summary>
    /// Publishes a local lifecycle envelope on behalf of a layer above (sessions say they were recovered), so that
    /// subscribers and sinks see it in order with the wire traffic.
    /// </summary>
    internal void PublishLocal(string method, string? threadId, Action<Utf8JsonWriter> writeParams) => _lifecycle.PublishLocal(method, threadId, writeParams);

    /// <summary>Listens to the runtime's life as typed signals, in order (the client recovers its sessions from them). Dispose the result to stop.</summary>
    internal IDisposable ListenToLifecycle(Action<RuntimeSignal> listener) => _lifecycle.Listen(listener);

    /// <summary>
    /// Opens a route for the notifications of <paramref name="threadId"/>: from now on each one is handed to
    /// <paramref name="route"/> on the reader, in wire order, after the state applied it. Dispose the result to close it.
    /// </summary>
    internal IDisposable OpenThreadRoute(string threadId, IThreadRoute route) => _router.Open(threadId, route);

    /// <summary>What the runtime does when the supervisor loses a connection or ends.</summary>
    private sealed class LossHandler(CodexRuntimeHost runtime) : IConnectionLossHandler
    {
        public void ConnectionLost(string reason, CodexTransportClosedException error)
        {
            runtime._projection.AbandonRunningTurns(reason, error);
            runtime._router.CompleteAll();
        }

        public void Restarted() => runtime._telemetry.Restarted();

        public Task RuntimeEndedAsync(CodexConnectionStatus status, string reason) => runtime.FinishAsync(status, reason);
    }

    /// <summary>How the runtime sees each connection: counts, projects state, then lets the dispatcher act.</summary>
    private sealed class Observer(CodexRuntimeHost runtime) : IWireOrderObserver
    {
        public void OnNotification(CodexInboundMessage notification)
        {
            runtime._telemetry.Inbound();
            runtime._notices.Observe(notification);
            runtime._projection.Apply(notification);
            // After the state: a route that sees turn/completed finds the turn's final state already there.
            runtime._router.Deliver(notification);
            runtime._dispatcher.OnNotification(notification);
        }

        public ValueTask<CodexServerReply> OnServerRequestAsync(CodexInboundMessage request, CancellationToken cancellationToken)
        {
            runtime._telemetry.Inbound();
            runtime._telemetry.ServerRequest();
            return runtime._dispatcher.OnServerRequestAsync(request, cancellationToken);
        }
    }
}
