namespace CodexRuntime;

/// <summary>A piece of the assistant's text as it streams.</summary>
/// <param name="ThreadId">The thread.</param>
/// <param name="TurnId">The turn.</param>
/// <param name="ItemId">The message item.</param>
/// <param name="Delta">The new text.</param>
public sealed record MessageDeltaEvent(string ThreadId, string TurnId, string ItemId, string Delta) : CodexTurnEvent(ThreadId, TurnId);
