namespace CodexRuntime;

/// <summary>
/// One thing that happened in a streaming turn (<see cref="CodexTurn"/>). Switch on the subtype:
/// <see cref="MessageDeltaEvent"/>, <see cref="ItemStartedEvent"/>, <see cref="ItemCompletedEvent"/>,
/// <see cref="CommandOutputEvent"/>, <see cref="FileChangeOutputEvent"/>, <see cref="PlanUpdatedEvent"/>,
/// <see cref="DiffUpdatedEvent"/>, <see cref="UsageUpdatedEvent"/>, <see cref="ApprovalRequestedEvent"/>,
/// <see cref="ServerRequestEvent"/>, <see cref="RetryingEvent"/>, <see cref="WarningEvent"/>,
/// <see cref="EventsLostEvent"/> and, last, <see cref="TurnCompletedEvent"/>.
/// </summary>
/// <param name="ThreadId">The thread.</param>
/// <param name="TurnId">The turn.</param>
public abstract record CodexTurnEvent(string ThreadId, string TurnId);
