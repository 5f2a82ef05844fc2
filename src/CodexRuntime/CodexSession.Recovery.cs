using CodexRuntime.Diagnostics;
using CodexRuntime.Protocol;
using CodexRuntime.Sessions;
using CodexRuntime.State;

namespace CodexRuntime;

// Restart recovery: when the client sees codex restart, every open session resumes its thread on the new process
// (or recreates a thread that never ran a turn); calls made meanwhile wait for that.
public sealed partial class CodexSession
{
    /// <summary>codex is restarting: calls wait until the session is back on the new process.</summary>
    internal void BeginRecovery()
    {
        lock (_gate)
        {
            _recovery ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>codex was restarted: resume the thread there, or recreate a thread that never ran a turn (codex keeps none).</summary>
    internal async Task RecoverAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource? recovery;
        string oldThreadId;
        bool recreate;
        lock (_gate)
        {
            recovery = _recovery ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            oldThreadId = _threadId;
            recreate = !_hasRunTurn;
        }

        try
        {
            if (IsClosed)
            {
                // Nothing to take back (a later CloseAsync archives by id, which needs no loaded thread).
                lock (_gate)
                {
                    _restartsSeen = Client.Runtime.ConnectionState.Restarts;
                }

                recovery.TrySetResult();
                return;
            }

            string newThreadId;
            if (recreate)
            {
                var started = await Client.Runtime.CallAsync(CodexMethods.ThreadStart, ThreadRequests.Start(Config, Profile), Profile.PrivilegedEscalation, null, cancellationToken).ConfigureAwait(false);
                newThreadId = started.Thread.Id;
            }
            else
            {
                var resumed = await Client.Runtime.CallAsync(CodexMethods.ThreadResume, ThreadRequests.Resume(oldThreadId, Config, Profile, Client.PagesHistory), Profile.PrivilegedEscalation, null, cancellationToken).ConfigureAwait(false);
                newThreadId = resumed.Thread.Id;
            }

            lock (_gate)
            {
                _threadId = newThreadId;
                _restartsSeen = Client.Runtime.ConnectionState.Restarts;
            }

            Client.Runtime.PublishLocal("codexSession/recovered", newThreadId, writer =>
            {
                writer.WriteString("threadId"u8, newThreadId);
                writer.WriteString("previousThreadId"u8, oldThreadId);
                writer.WriteBoolean("recreated"u8, recreate);
            });
            Log.SessionRecovered(_logger, oldThreadId, newThreadId, recreate);
            Recovered?.Invoke(this, new CodexSessionRecoveredEventArgs(oldThreadId, newThreadId, recreate));
            recovery.TrySetResult();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.SessionRecoveryFailed(_logger, oldThreadId, ex.GetType().Name);
            recovery.TrySetException(new CodexException($"The session for thread {oldThreadId} could not be resumed after codex restarted: {ex.Message}", ex));
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
    internal void AbandonRecovery(Exception reason)
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
    private async Task WaitForRecoveryAsync(CancellationToken cancellationToken)
    {
        var runtime = Client.Runtime;
        var connection = runtime.ConnectionState;
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

        var timeout = Client.Config.Runtime.Connection.RequestTimeout;
        try
        {
            await recovery.WaitAsync(timeout, runtime.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new CodexTimeoutException($"resuming the session for thread {ThreadId} after codex restarted", timeout, ex);
        }
    }
}
