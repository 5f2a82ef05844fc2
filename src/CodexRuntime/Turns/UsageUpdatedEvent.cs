using CodexRuntime.Protocol;

namespace CodexRuntime;

/// <summary>codex reported token usage.</summary>
/// <param name="ThreadId">The thread.</param>
/// <param name="TurnId">The turn.</param>
/// <param name="Usage">The latest call's and the thread's total usage.</param>
public sealed record UsageUpdatedEvent(string ThreadId, string TurnId, ThreadTokenUsage Usage) : CodexTurnEvent(ThreadId, TurnId);
