using CodexRuntime.Diagnostics;
using CodexRuntime.Protocol;

namespace CodexRuntime;

// Restart recovery: when the client sees codex restart, every open session resumes its thread on the new process
// (or recreates a thread that never ran a turn); calls made meanwhile wait for that (SessionRecovery).
public sealed partial class CodexSession
{
    /// <summary>codex is restarting: calls wait until the session is back on the new process.</summary>
    internal void BeginRecovery() => _recovery.Begin();

    /// <summary>codex was restarted: resume the thread there, or recreate a thread that never ran a turn (codex keeps none).</summary>
    internal Task RecoverAsync(CancellationToken cancellationToken)
    {
        var oldThreadId = ThreadId;
        return _recovery.RunAsync(
            () => ResumeOnNewProcessAsync(oldThreadId, cancellationToken),
            error =>
            {
                Log.SessionRecoveryFailed(_logger, oldThreadId, error.GetType().Name);
                return new CodexException($"The session for thread {oldThreadId} could not be resumed after codex restarted: {error.Message}", error);
            });
    }

    /// <summary>codex is gone for good: waiting calls fail instead of waiting for a recovery that will not come.</summary>
    internal void AbandonRecovery(Exception reason) => _recovery.Abandon(reason);

    private async Task ResumeOnNewProcessAsync(string oldThreadId, CancellationToken cancellationToken)
    {
        if (IsClosed)
        {
            // Nothing to take back (a later CloseAsync archives by id, which needs no loaded thread).
            return;
        }

        var recreate = !HasRunTurn;
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
        }

        Client.Runtime.PublishLocal("codexSession/recovered", newThreadId, writer =>
        {
            writer.WriteString("threadId"u8, newThreadId);
            writer.WriteString("previousThreadId"u8, oldThreadId);
            writer.WriteBoolean("recreated"u8, recreate);
        });
        Log.SessionRecovered(_logger, oldThreadId, newThreadId, recreate);
        Recovered?.Invoke(this, new CodexSessionRecoveredEventArgs(oldThreadId, newThreadId, recreate));
    }
}
