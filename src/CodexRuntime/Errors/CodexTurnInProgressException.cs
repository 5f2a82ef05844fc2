namespace CodexRuntime;

/// <summary>
/// A session runs one turn at a time, and one is already running (or starting): nothing was sent. Steer the running
/// turn, interrupt it, or wait for it; or open another session for parallel work.
/// </summary>
public sealed class CodexTurnInProgressException : CodexException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="threadId">The session's thread.</param>
    /// <param name="runningTurnId">The running turn; null while its <c>turn/start</c> is still in flight.</param>
    public CodexTurnInProgressException(string threadId, string? runningTurnId)
        : base($"A turn ({runningTurnId ?? "starting"}) is already running in the session for thread {threadId}, so nothing was sent. Steer it with SteerAsync, stop it with InterruptAsync, wait for it, or start another session for parallel work.")
    {
        ThreadId = threadId;
        RunningTurnId = runningTurnId;
    }

    /// <summary>The session's thread.</summary>
    public string ThreadId { get; }

    /// <summary>The running turn; null while its <c>turn/start</c> is still in flight.</summary>
    public string? RunningTurnId { get; }
}
