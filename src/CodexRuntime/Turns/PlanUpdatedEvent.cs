using CodexRuntime.Protocol;

namespace CodexRuntime;

/// <summary>The model's plan for the turn changed.</summary>
/// <param name="ThreadId">The thread.</param>
/// <param name="TurnId">The turn.</param>
/// <param name="Explanation">Why, when the model says.</param>
/// <param name="Plan">The steps and their status.</param>
public sealed record PlanUpdatedEvent(string ThreadId, string TurnId, string? Explanation, IReadOnlyList<TurnPlanStep> Plan) : CodexTurnEvent(ThreadId, TurnId);
