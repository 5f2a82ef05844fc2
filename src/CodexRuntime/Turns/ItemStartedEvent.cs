using CodexRuntime.Protocol;

namespace CodexRuntime;

/// <summary>An item started: a message, a command, a file change, reasoning, a tool call, ...</summary>
/// <param name="ThreadId">The thread.</param>
/// <param name="TurnId">The turn.</param>
/// <param name="Item">The item as it started (switch on its type, e.g. <see cref="CommandExecutionThreadItem"/>).</param>
public sealed record ItemStartedEvent(string ThreadId, string TurnId, ThreadItem Item) : CodexTurnEvent(ThreadId, TurnId);
