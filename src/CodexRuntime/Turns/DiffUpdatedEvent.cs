namespace CodexRuntime;

/// <summary>The turn's aggregated diff changed (after a file change).</summary>
/// <param name="ThreadId">The thread.</param>
/// <param name="TurnId">The turn.</param>
/// <param name="Diff">The whole diff so far (unified format).</param>
public sealed record DiffUpdatedEvent(string ThreadId, string TurnId, string Diff) : CodexTurnEvent(ThreadId, TurnId);
