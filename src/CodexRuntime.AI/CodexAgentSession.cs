using Microsoft.Agents.AI;

namespace CodexRuntime.AI;

/// <summary>
/// A <see cref="CodexAgent"/> conversation: one codex thread. The thread id is set by the first run and is all that
/// <see cref="AIAgent.SerializeSessionAsync"/> keeps, so the conversation continues in another process (codex holds
/// the history on disk).
/// </summary>
public sealed class CodexAgentSession : AgentSession
{
    /// <summary>Creates a session for a new thread (started by the first run) or for an existing one.</summary>
    /// <param name="threadId">The codex thread to continue; null starts a new one.</param>
    public CodexAgentSession(string? threadId = null)
    {
        ThreadId = threadId;
    }

    /// <summary>The codex thread id, or null before the first run.</summary>
    public string? ThreadId { get; internal set; }
}
