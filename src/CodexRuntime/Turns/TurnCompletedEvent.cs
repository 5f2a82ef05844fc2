namespace CodexRuntime;

/// <summary>The last event of a turn: it ended (completed, interrupted or failed; see <see cref="PromptRunResult.Status"/>).</summary>
/// <param name="ThreadId">The thread.</param>
/// <param name="TurnId">The turn.</param>
/// <param name="Result">What the turn produced.</param>
public sealed record TurnCompletedEvent(string ThreadId, string TurnId, PromptRunResult Result) : CodexTurnEvent(ThreadId, TurnId);
