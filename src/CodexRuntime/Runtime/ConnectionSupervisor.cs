using CodexRuntime.Diagnostics;
using CodexRuntime.Rpc;
using CodexRuntime.State;
using CodexRuntime.Transport;
using Microsoft.Extensions.Logging;

// The root namespace: internal plumbing of the root layer (it uses the root's options and exceptions); the file stays in
// Supervision/ until the folders are regrouped.
namespace CodexRuntime;

/// <summary>
/// Owns the runtime's one live connection over time: connects it, watches it, restarts codex per
/// <see cref="CodexRestartPolicy"/> when it crashes, and shuts it down in order. Callers ask it for the current
/// connection (waiting, within their deadline, while codex restarts); everyone else hears about its life through
/// <see cref="RuntimeLifecycle"/>.
/// </summary>
internal sealed class ConnectionSupervisor
{
    private readonly CodexRestartPolicy _policy;
    private readonly Func<CancellationToken, Task<CodexConnection>> _connect;
    private readonly RuntimeLifecycle _lifecycle;
    private readonly IConnectionLossHandler _loss;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private CodexConnectionStatus _status = CodexConnectionStatus.NotStarted;
    private CodexConnection? _connection;
    private TaskCompletionSource<CodexConnection> _ready = NewReady();
    private CodexDisconnectInfo? _lastDisconnect;
    private DateTimeOffset? _connectedAt;
    private long _connectedTimestamp;
    private int _restarts;
    private int _restartAttempt;
    private long _malformedBefore;
    private Task? _stop;

    /// <param name="policy">When to restart a crashed codex.</param>
    /// <param name="connect">Starts codex (or opens the configured transport) and completes the handshake.</param>
    /// <param name="lifecycle">Where each step of the connection's life is announced.</param>
    /// <param name="loss">What the runtime does when a connection is gone (fail running turns, settle its streams).</param>
    /// <param name="logger">Logging.</param>
    /// <param name="time">The runtime's clock.</param>
    public ConnectionSupervisor(CodexRestartPolicy policy, Func<CancellationToken, Task<CodexConnection>> connect, RuntimeLifecycle lifecycle, IConnectionLossHandler loss, ILogger logger, TimeProvider time)
    {
        _policy = policy;
        _connect = connect;
        _lifecycle = lifecycle;
        _loss = loss;
        _logger = logger;
        _time = time;
    }

    /// <summary>Where the connection is in its life.</summary>
    public CodexConnectionStatus Status
    {
        get
        {
            lock (_gate)
            {
                return _status;
            }
        }
    }

    /// <summary>The live connection, if any (null before the first connect and after the end).</summary>
    public CodexConnection? Connection => Volatile.Read(ref _connection);

    /// <summary>The connection part of the runtime's state.</summary>
    public CodexConnectionState State
    {
        get
        {
            lock (_gate)
            {
                return new CodexConnectionState(_status, _connection?.ServerInfo, ProcessIdOf(_connection?.Transport), _restarts, _lastDisconnect, _connectedAt);
            }
        }
    }

    /// <summary>The codex process behind a transport: the stdio child, or the listener a start-and-attach transport owns.</summary>
    private static int? ProcessIdOf(ICodexTransport? transport) => transport switch
    {
        CodexProcessTransport process => process.ProcessId,
        CodexWebSocketTransport { Server: { } server } => server.ProcessId,
        _ => null,
    };

    /// <summary>Malformed lines over every connection so far.</summary>
    public long MalformedLineCount => Interlocked.Read(ref _malformedBefore) + (Connection?.MalformedLineCount ?? 0);

    /// <summary>Connects the first time; on success codex is watched (and restarted per policy) until <see cref="StopAsync"/>.</summary>
    /// <exception cref="InvalidOperationException">Already started.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_status != CodexConnectionStatus.NotStarted)
            {
                throw new InvalidOperationException($"StartAsync was already called (the runtime is {_status}); create a new CodexRuntimeHost to start again.");
            }

            _status = CodexConnectionStatus.Starting;
        }

        CodexConnection connection;
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
            connection = await _connect(linked.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            lock (_gate)
            {
                _status = CodexConnectionStatus.Faulted;
            }

            _ready.TrySetException(ex);
            await _loss.RuntimeEndedAsync(CodexConnectionStatus.Faulted, "start failed").ConfigureAwait(false);
            throw;
        }

        if (!Adopt(connection))
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new OperationCanceledException("The runtime was stopped while it was starting.");
        }

        _lifecycle.Started(connection);
        _ = SuperviseAsync(connection);
    }

    /// <summary>The live connection; while codex (re)starts, waits for it within <paramref name="deadline"/>.</summary>
    /// <exception cref="InvalidOperationException">Not started.</exception>
    /// <exception cref="CodexTimeoutException">codex did not come back within the deadline.</exception>
    /// <exception cref="CodexTransportClosedException">The runtime stopped or gave up on codex.</exception>
    public async Task<CodexConnection> CurrentAsync(string method, TimeSpan deadline, CancellationToken cancellationToken)
    {
        Task<CodexConnection> ready;
        lock (_gate)
        {
            switch (_status)
            {
                case CodexConnectionStatus.Connected:
                    return _connection!;
                case CodexConnectionStatus.NotStarted:
                    throw new InvalidOperationException($"'{method}' cannot be sent: the runtime has not been started. Call StartAsync first.");
                case CodexConnectionStatus.Starting:
                case CodexConnectionStatus.Restarting:
                    ready = _ready.Task;
                    break;
                default:
                    throw ClosedException(method);
            }
        }

        try
        {
            return await ready.WaitAsync(deadline, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new CodexTimeoutException($"'{method}' (waiting for codex to restart)", deadline, ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not CodexTransportClosedException)
        {
            throw ClosedException(method, ex);
        }
    }

    /// <summary>Stops for good, in order (no more restarts; stdin closed, then terminate, then the tree killed). Idempotent.</summary>
    public Task StopAsync()
    {
        lock (_gate)
        {
            return _stop ??= StopCoreAsync();
        }
    }

    private static TaskCompletionSource<CodexConnection> NewReady()
    {
        var ready = new TaskCompletionSource<CodexConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        // Nobody may be waiting when it fails; that is not an unobserved error.
        ready.Task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return ready;
    }

    private CodexTransportClosedException ClosedException(string method, Exception? inner = null)
    {
        CodexDisconnectInfo? last;
        CodexConnectionStatus status;
        lock (_gate)
        {
            last = _lastDisconnect;
            status = _status;
        }

        var why = status switch
        {
            CodexConnectionStatus.Faulted when last is not null => $"codex ended ({last.Description}{(last.ExitCode is { } code ? $", exit code {code}" : string.Empty)}) and was not restarted (see RestartPolicy)",
            CodexConnectionStatus.Faulted => "the runtime failed to start",
            _ => "the runtime has stopped",
        };
        return new CodexTransportClosedException($"'{method}' cannot be sent: {why}.", last?.ExitCode, last?.StderrTail ?? string.Empty, inner);
    }

    /// <summary>Makes <paramref name="connection"/> the live one; false when the runtime is stopping.</summary>
    private bool Adopt(CodexConnection connection)
    {
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                return false;
            }

            _connection = connection;
            _status = CodexConnectionStatus.Connected;
            _connectedAt = _time.GetUtcNow();
            _connectedTimestamp = _time.GetTimestamp();
            _ready.TrySetResult(connection);
        }

        return true;
    }

    /// <summary>Watches one connection; when it ends without being asked to, restarts per policy or settles the runtime.</summary>
    private async Task SuperviseAsync(CodexConnection connection)
    {
        var info = await connection.Completion.ConfigureAwait(false);
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        var uptime = _time.GetElapsedTime(Volatile.Read(ref _connectedTimestamp));
        var crashed = !(info.Reason == CodexDisconnectReason.ProcessExited && info.ExitCode == 0);
        lock (_gate)
        {
            _lastDisconnect = info;
            _status = crashed && _policy.RestartsOnCrash ? CodexConnectionStatus.Restarting : crashed ? CodexConnectionStatus.Faulted : CodexConnectionStatus.Stopped;
            _ready = NewReady();
        }

        Interlocked.Add(ref _malformedBefore, connection.MalformedLineCount);
        _loss.ConnectionLost(
            $"codex ended while the turn was running ({info.Description}{(info.ExitCode is { } c ? $", exit code {c}" : string.Empty)})",
            new CodexTransportClosedException($"codex ended while the turn was running: {info.Description}.", info.ExitCode, info.StderrTail));
        _lifecycle.Disconnected(info);
        // The process is gone; this reaps what is left of it (descendants, pipes).
        await connection.DisposeAsync().ConfigureAwait(false);

        if (!crashed || !_policy.RestartsOnCrash)
        {
            Log.NotRestarted(_logger, info.Description, crashed ? "the restart policy is Never" : "a clean exit is not a crash");
            await SettleAsync(crashed ? CodexConnectionStatus.Faulted : CodexConnectionStatus.Stopped, info).ConfigureAwait(false);
            return;
        }

        await RestartAsync(info, uptime).ConfigureAwait(false);
    }

    /// <summary>Starts codex again, with the policy's backoff, until a connection is up, the attempts run out or the runtime stops.</summary>
    private async Task RestartAsync(CodexDisconnectInfo info, TimeSpan uptime)
    {
        var attempt = uptime >= _policy.ResetAfter ? 0 : Volatile.Read(ref _restartAttempt);
        while (true)
        {
            attempt++;
            Volatile.Write(ref _restartAttempt, attempt);
            if (attempt > _policy.MaxRestarts)
            {
                Log.NotRestarted(_logger, info.Description, $"{_policy.MaxRestarts} restarts in a row did not last {_policy.ResetAfter.TotalSeconds:0} s");
                await SettleAsync(CodexConnectionStatus.Faulted, info).ConfigureAwait(false);
                return;
            }

            var delay = _policy.Delay(attempt);
            Log.RestartScheduled(_logger, info.Description, attempt, _policy.MaxRestarts, delay.TotalMilliseconds);
            _lifecycle.Restarting(attempt, info);
            try
            {
                await Task.Delay(delay, _time, _stopping.Token).ConfigureAwait(false);
                var next = await _connect(_stopping.Token).ConfigureAwait(false);
                if (!Adopt(next))
                {
                    await next.DisposeAsync().ConfigureAwait(false);
                    return;
                }

                lock (_gate)
                {
                    _restarts++;
                }

                _loss.Restarted();
                Log.Restarted(_logger, attempt);
                _lifecycle.Restarted(attempt, next);
                _ = SuperviseAsync(next);
                return;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.RestartFailed(_logger, ex, attempt);
            }
        }
    }

    /// <summary>codex ended for good without a stop request: calls fail from now on; streams complete so no reader hangs.</summary>
    private async Task SettleAsync(CodexConnectionStatus status, CodexDisconnectInfo info)
    {
        lock (_gate)
        {
            _status = status;
            _ready.TrySetException(new CodexTransportClosedException($"codex ended: {info.Description}.", info.ExitCode, info.StderrTail));
        }

        await _loss.RuntimeEndedAsync(status, info.Description).ConfigureAwait(false);
    }

    private async Task StopCoreAsync()
    {
        CodexConnection? connection;
        lock (_gate)
        {
            connection = _connection;
            if (_status is not (CodexConnectionStatus.Stopped or CodexConnectionStatus.Faulted))
            {
                _status = _status == CodexConnectionStatus.NotStarted ? CodexConnectionStatus.Stopped : CodexConnectionStatus.Stopping;
            }
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (connection is not null)
        {
            // Transport order: close stdin, wait, SIGTERM, wait, kill the tree. Pending calls fail as it closes.
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        var closed = new CodexTransportClosedException("The codex runtime was stopped.", null, connection?.Transport.StderrTail ?? string.Empty);
        lock (_gate)
        {
            if (_status == CodexConnectionStatus.Stopping)
            {
                _status = CodexConnectionStatus.Stopped;
            }

            _ready.TrySetException(closed);
        }

        _loss.ConnectionLost("the runtime was stopped while the turn was running", closed);
        await _loss.RuntimeEndedAsync(CodexConnectionStatus.Stopped, "stopped").ConfigureAwait(false);
    }
}
