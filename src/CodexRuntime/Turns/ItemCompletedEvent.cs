using CodexRuntime.Protocol;

namespace CodexRuntime;

/// <summary>An item finished; it holds its final state (a command's exit code and output, a file change's diff, a message's text).</summary>
/// <param name="ThreadId">The thread.</param>
/// <param name="TurnId">The turn.</param>
/// <param name="Item">The item as it ended (switch on its type, e.g. <see cref="CommandExecutionThreadItem"/>).</param>
public sealed record ItemCompletedEvent(string ThreadId, string TurnId, ThreadItem Item) : CodexTurnEvent(ThreadId, TurnId);
