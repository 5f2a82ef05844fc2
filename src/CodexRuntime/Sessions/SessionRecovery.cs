using CodexRuntime.State;

namespace CodexRuntime;

/// <summary>
/// When a session is on the current codex process. After a restart the client runs the session's recovery (resume or
/// recreate its thread) through <see cref="RunAsync"/>; calls made meanwhile wait for it (<see cref="WaitAsync"/>),
/// within the request timeout, and fail with the recovery's error if it failed.
/// </summary>
internal sealed class SessionRecovery
{
    private readonly Lock _gate = new();
    private readonly CodexRuntimeHost _runtime;
    private readonly TimeSpan _timeout;
    private TaskCompletionSource? _recovery;
    private int _restartsSeen;

    /// <param name="runtime">The runtime whose restarts the session follows.</param>
    /// <param name="timeout">How long a call waits for a recovery.</param>
    public SessionRecovery(CodexRuntimeHost runtime, TimeSpan timeout)
    {
        _runtime = runtime;
        _timeout = timeout;
        _restartsSeen = runtime.ConnectionState.Restarts;
    }

    /// <summary>codex is restarting: calls wait until the recovery ran.</summary>
    public void Begin()
    {
        lock (_gate)
        {
            _recovery ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Runs <paramref name="recover"/>; waiting calls go on when it succeeded, or fail with <paramref name="failure"/>'s exception.</summary>
    /// <param name="recover">Puts the session on the new process.</param>
    /// <param name="failure">The exception waiting calls fail with (and what to log) when <paramref name="recover"/> failed.</param>
    public async Task RunAsync(Func<Task> recover, Func<Exception, Exception> failure)
    {
        TaskCompletionSource recovery;
        lock (_gate)
        {
            recovery = _recovery ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        try
        {
            await recover().ConfigureAwait(false);
            lock (_gate)
            {
                _restartsSeen = _runtime.ConnectionState.Restarts;
            }

            recovery.TrySetResult();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            recovery.TrySetException(failure(ex));
        }
        finally
        {
            lock (_gate)
            {
                if (ReferenceEquals(_recovery, recovery) && recovery.Task.IsCompletedSuccessfully)
                {
                    _recovery = null;
                }
            }
        }
    }

    /// <summary>codex is gone for good: waiting calls fail instead of waiting for a recovery that will not come.</summary>
    public void Abandon(Exception reason)
    {
        lock (_gate)
        {
            _recovery?.TrySetException(reason);
        }
    }

    /// <summary>
    /// Waits until the session is on the current codex process. The client starts the recovery when it sees the
    /// restart; a call that notices the restart first (the process count moved on, or codex is restarting) waits for it
    /// too instead of racing its request ahead of <c>thread/resume</c>.
    /// </summary>
    /// <param name="threadId">The session's thread (for the timeout's message).</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    public async Task WaitAsync(string threadId, CancellationToken cancellationToken)
    {
        var connection = _runtime.ConnectionState;
        var restarts = connection.Restarts;
        Task? recovery;
        lock (_gate)
        {
            // Compared under the lock with what a finished recovery wrote, so a recovery that completed after the
            // snapshot above is not waited for again.
            if (restarts > _restartsSeen || (connection.Status == CodexConnectionStatus.Restarting && restarts == _restartsSeen))
            {
                _recovery ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            recovery = _recovery?.Task;
        }

        if (recovery is null)
        {
            return;
        }

        try
        {
            await recovery.WaitAsync(_timeout, _runtime.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new CodexTimeoutException($"resuming the session for thread {threadId} after codex restarted", _timeout, ex);
        }
    }
}
