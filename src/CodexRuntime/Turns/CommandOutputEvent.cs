namespace CodexRuntime;

/// <summary>Output of a running command as it streams.</summary>
/// <param name="ThreadId">The thread.</param>
/// <param name="TurnId">The turn.</param>
/// <param name="ItemId">The command item.</param>
/// <param name="Delta">The new output.</param>
public sealed record CommandOutputEvent(string ThreadId, string TurnId, string ItemId, string Delta) : CodexTurnEvent(ThreadId, TurnId);
