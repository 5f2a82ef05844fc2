namespace CodexRuntime;

/// <summary>Output of a file change being applied, as it streams.</summary>
/// <param name="ThreadId">The thread.</param>
/// <param name="TurnId">The turn.</param>
/// <param name="ItemId">The file-change item.</param>
/// <param name="Delta">The new output.</param>
public sealed record FileChangeOutputEvent(string ThreadId, string TurnId, string ItemId, string Delta) : CodexTurnEvent(ThreadId, TurnId);
