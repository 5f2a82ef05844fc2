using CodexRuntime.Protocol;

namespace CodexRuntime;

/// <summary>
/// codex hit an error and retries on its own (an <c>error</c> notification with <c>willRetry</c>): typically the
/// model provider is unreachable or failing ("Reconnecting... waiting for network"). The turn goes on. When the
/// retries never succeed, the run timeout ends it, and <see cref="CodexRunTimeoutException.LastRetry"/> carries the
/// last of these errors. Also logged at Warning.
/// </summary>
/// <param name="ThreadId">The thread.</param>
/// <param name="TurnId">The turn.</param>
/// <param name="Error">codex's error: <see cref="TurnError.Message"/>, <see cref="TurnError.AdditionalDetails"/> (often the provider's own words), <see cref="TurnError.CodexErrorInfo"/>.</param>
public sealed record RetryingEvent(string ThreadId, string TurnId, TurnError Error) : CodexTurnEvent(ThreadId, TurnId);
