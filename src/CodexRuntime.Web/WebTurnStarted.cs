namespace CodexRuntime.Web;

/// <summary>A started turn: its events follow on the session's event stream.</summary>
/// <param name="TurnId">The turn.</param>
/// <param name="LastEventId">The session's newest event id when the turn started (its <c>turnStarted</c> event).</param>
public sealed record WebTurnStarted(string TurnId, long LastEventId);
