namespace CodexRuntime;

/// <summary>
/// The reader fell so far behind that the oldest events were dropped. The turn's result
/// (<see cref="TurnCompletedEvent"/>, <see cref="CodexTurn.GetResultAsync"/>) is still complete: it comes from the
/// runtime's state, not from these events.
/// </summary>
/// <param name="ThreadId">The thread.</param>
/// <param name="TurnId">The turn.</param>
/// <param name="Count">How many events were dropped since the last report.</param>
public sealed record EventsLostEvent(string ThreadId, string TurnId, long Count) : CodexTurnEvent(ThreadId, TurnId);
