using Microsoft.Extensions.Logging;

namespace CodexRuntime.Orleans;

/// <summary>The package's log messages (source-generated: no formatting unless the level is on).</summary>
internal static partial class OrleansLog
{
    [LoggerMessage(1, LogLevel.Information, "Session {SessionId} resumed on this silo on codex thread {ThreadId} (its silo stopped or died); lost turn: {LostTurnId}.")]
    public static partial void Resumed(ILogger logger, string sessionId, string threadId, string? lostTurnId);

    [LoggerMessage(2, LogLevel.Warning, "Session {SessionId}: the kept history of thread {ThreadId} could not be resumed here; the session goes on in a new thread.")]
    public static partial void HistoryLost(ILogger logger, Exception exception, string sessionId, string? threadId);

    [LoggerMessage(3, LogLevel.Warning, "Session {SessionId}: the rollout of thread {ThreadId} could not be read; the record keeps the previous one.")]
    public static partial void RolloutUnreadable(ILogger logger, Exception exception, string sessionId, string threadId);

    [LoggerMessage(4, LogLevel.Warning, "Session {SessionId}: turn {TurnId} did not end within the drain time ({DrainTimeout}); interrupting it.")]
    public static partial void DrainInterrupting(ILogger logger, string sessionId, string turnId, TimeSpan drainTimeout);

    [LoggerMessage(5, LogLevel.Warning, "Session {SessionId}: interrupting its turn while the silo stops failed.")]
    public static partial void DrainFailed(ILogger logger, Exception exception, string sessionId);

    [LoggerMessage(6, LogLevel.Error, "Session {SessionId}: its record could not be written to grain storage; if this silo dies now, the session's newest changes are lost.")]
    public static partial void RecordNotWritten(ILogger logger, Exception exception, string sessionId);
}
