namespace CodexRuntime;

/// <summary>A session is back on a restarted codex process.</summary>
/// <param name="previousThreadId">The thread id before the restart.</param>
/// <param name="threadId">The thread id now (the same unless the session was recreated).</param>
/// <param name="recreated">True when the session had never run a turn, so codex kept nothing and a new thread was started.</param>
public sealed class CodexSessionRecoveredEventArgs(string previousThreadId, string threadId, bool recreated) : EventArgs
{
    /// <summary>The thread id before the restart.</summary>
    public string PreviousThreadId { get; } = previousThreadId;

    /// <summary>The thread id now.</summary>
    public string ThreadId { get; } = threadId;

    /// <summary>True when a new thread was started because codex kept nothing of the old one.</summary>
    public bool Recreated { get; } = recreated;
}
