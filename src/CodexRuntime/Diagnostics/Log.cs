using Microsoft.Extensions.Logging;

namespace CodexRuntime.Diagnostics;

/// <summary>Source-generated log messages. Nothing here logs prompt text or secrets at Information or above.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Started codex app-server (pid {ProcessId}) from {ExecutablePath}")]
    public static partial void ProcessStarted(ILogger logger, int processId, string executablePath);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "codex app-server (pid {ProcessId}) exited with code {ExitCode}")]
    public static partial void ProcessExited(ILogger logger, int processId, int? exitCode);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "codex app-server (pid {ProcessId}) did not exit within {Seconds} s of shutdown; killing its process tree")]
    public static partial void ProcessKilledAfterTimeout(ILogger logger, int processId, double seconds);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "codex app-server (pid {ProcessId}) did not exit within {Seconds} s after stdin closed; sent SIGTERM")]
    public static partial void ProcessTerminated(ILogger logger, int processId, double seconds);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "codex app-server (pid {ProcessId}) was killed but had not exited after {Seconds} s")]
    public static partial void ProcessDidNotDie(ILogger logger, int processId, double seconds);

    // codex writes its tracing log to stderr; it can contain prompt fragments, so it stays at Debug.
    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "codex[{ProcessId}] {Line}")]
    public static partial void StderrLine(ILogger logger, int processId, string line);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Skipped an inbound line that is not a JSON-RPC message ({Length} bytes): {Reason}. Skipped so far: {Count}")]
    public static partial void MalformedLine(ILogger logger, long length, string reason, long count);

    [LoggerMessage(EventId = 11, Level = LogLevel.Error, Message = "The inbound message observer threw for '{Method}'; the connection continues")]
    public static partial void ObserverFailed(ILogger logger, Exception exception, string method);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "Server request '{Method}' has no handler; answered with JSON-RPC error -32601")]
    public static partial void ServerRequestUnhandled(ILogger logger, string method);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "The handler for server request '{Method}' failed; answered with a JSON-RPC error")]
    public static partial void ServerRequestHandlerFailed(ILogger logger, Exception exception, string method);

    [LoggerMessage(EventId = 14, Level = LogLevel.Information, Message = "Connected to codex {Version} ({UserAgent})")]
    public static partial void Connected(ILogger logger, string version, string userAgent);

    [LoggerMessage(EventId = 33, Level = LogLevel.Warning, Message = "Connected to codex {Version}, newer than {Pinned}, the codex this CodexRuntime's typed protocol was generated from: it works, but what {Version} added is seen only as raw JSON (AdditionalProperties, Unrecognized cases). Update CodexRuntime, or pin codex {Pinned} (build/install-codex.sh {Pinned})")]
    public static partial void NewerThanPinned(ILogger logger, string version, string pinned);

    [LoggerMessage(EventId = 34, Level = LogLevel.Warning, Message = "codex {Kind}: {Message} {Details} (thread {ThreadId}, turn {TurnId})")]
    public static partial void CodexNotice(ILogger logger, CodexNoticeKind kind, string message, string details, string threadId, string turnId);

    [LoggerMessage(EventId = 15, Level = LogLevel.Information, Message = "Connection to codex closed: {Reason}")]
    public static partial void ConnectionClosed(ILogger logger, string reason);

    [LoggerMessage(EventId = 17, Level = LogLevel.Warning, Message = "The handler for server request '{Method}' did not answer within {Seconds} s; answered by the deadline policy")]
    public static partial void ServerRequestDeadline(ILogger logger, string method, double seconds);

    [LoggerMessage(EventId = 16, Level = LogLevel.Warning, Message = "Could not answer server request '{Method}': the connection is closing")]
    public static partial void ServerRequestReplyLost(ILogger logger, Exception exception, string method);
    [LoggerMessage(EventId = 20, Level = LogLevel.Debug, Message = "The state projection skipped '{Method}': its payload did not fit the typed shape")]
    public static partial void StateProjectionSkipped(ILogger logger, Exception exception, string method);

    [LoggerMessage(EventId = 21, Level = LogLevel.Error, Message = "codex crashed ({Description}); restart {Attempt} of {MaxRestarts} in {DelayMs} ms")]
    public static partial void RestartScheduled(ILogger logger, string description, int attempt, int maxRestarts, double delayMs);

    [LoggerMessage(EventId = 22, Level = LogLevel.Information, Message = "codex restarted (attempt {Attempt}); the runtime is connected again")]
    public static partial void Restarted(ILogger logger, int attempt);

    [LoggerMessage(EventId = 23, Level = LogLevel.Error, Message = "Restart attempt {Attempt} failed")]
    public static partial void RestartFailed(ILogger logger, Exception exception, int attempt);

    [LoggerMessage(EventId = 24, Level = LogLevel.Error, Message = "codex ended ({Description}) and will not be restarted: {Why}")]
    public static partial void NotRestarted(ILogger logger, string description, string why);

    [LoggerMessage(EventId = 25, Level = LogLevel.Error, Message = "Event sink {Sink} failed to write; the envelope is counted as dropped")]
    public static partial void SinkFailed(ILogger logger, Exception exception, string sink);

    [LoggerMessage(EventId = 26, Level = LogLevel.Warning, Message = "Event sink {Sink} did not drain within {Seconds} s of shutdown; {Remaining} envelopes were not written")]
    public static partial void SinkDrainTimedOut(ILogger logger, string sink, double seconds, long remaining);

    [LoggerMessage(EventId = 27, Level = LogLevel.Warning, Message = "Interrupting turn {TurnId} did not end it in time ({Error})")]
    public static partial void InterruptFailed(ILogger logger, string turnId, string error);

    [LoggerMessage(EventId = 28, Level = LogLevel.Error, Message = "The approval handler for {Method} failed ({Error}); the request was declined")]
    public static partial void ApprovalHandlerFailed(ILogger logger, string method, string error);

    [LoggerMessage(EventId = 29, Level = LogLevel.Information, Message = "Session for thread {PreviousThreadId} is back after the codex restart as thread {ThreadId} (recreated: {Recreated})")]
    public static partial void SessionRecovered(ILogger logger, string previousThreadId, string threadId, bool recreated);

    [LoggerMessage(EventId = 30, Level = LogLevel.Error, Message = "Session for thread {ThreadId} could not be resumed after the codex restart ({Error})")]
    public static partial void SessionRecoveryFailed(ILogger logger, string threadId, string error);

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "Archiving thread {ThreadId} after a run failed ({Error})")]
    public static partial void ArchiveFailed(ILogger logger, string threadId, string error);

    [LoggerMessage(EventId = 32, Level = LogLevel.Debug, Message = "Thread {ThreadId} never ran a turn and codex keeps nothing to archive ({Answer})")]
    public static partial void NothingToArchive(ILogger logger, string threadId, string answer);
}
