using Microsoft.Extensions.Logging;

namespace CodexRuntime.Automation;

/// <summary>Source-generated log messages of automations (event ids 140-159 and 170-179; 160-169 are the hosting log's). Prompt text is never logged.</summary>
internal static partial class AutomationLog
{
    [LoggerMessage(EventId = 140, Level = LogLevel.Information, Message = "Automation {Automation} started on thread {ThreadId}: {State}, next run due at {NextDueAt}")]
    public static partial void Started(ILogger logger, string automation, string threadId, AutomationState state, DateTimeOffset? nextDueAt);

    [LoggerMessage(EventId = 141, Level = LogLevel.Debug, Message = "Automation {Automation} run {Number} started (due at {DueAt}, {LatenessMs} ms late)")]
    public static partial void RunStarted(ILogger logger, string automation, int number, DateTimeOffset dueAt, double latenessMs);

    [LoggerMessage(EventId = 142, Level = LogLevel.Debug, Message = "Automation {Automation} run {Number} completed (turn {TurnId}); next run due at {NextDueAt}")]
    public static partial void RunCompleted(ILogger logger, string automation, int number, string turnId, DateTimeOffset? nextDueAt);

    [LoggerMessage(EventId = 143, Level = LogLevel.Warning, Message = "Automation {Automation} run {Number} failed; the automation stops as Failed")]
    public static partial void RunFailed(ILogger logger, Exception exception, string automation, int number);

    [LoggerMessage(EventId = 144, Level = LogLevel.Information, Message = "Automation {Automation} ended: {State} after {RunsCompleted} completed runs")]
    public static partial void Ended(ILogger logger, string automation, AutomationState state, int runsCompleted);

    [LoggerMessage(EventId = 145, Level = LogLevel.Warning, Message = "Automation {Automation}: interrupting its turn {TurnId} failed ({Error}); the stop waits for the turn to end")]
    public static partial void InterruptFailed(ILogger logger, string automation, string turnId, string error);

    [LoggerMessage(EventId = 146, Level = LogLevel.Error, Message = "Automation {Automation}: a RunFinished handler threw; the automation goes on")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string automation);

    [LoggerMessage(EventId = 147, Level = LogLevel.Error, Message = "Automation {Automation}: saving its checkpoint failed; the automation stops as Failed so that no run is skipped or doubled")]
    public static partial void SaveFailed(ILogger logger, Exception exception, string automation);

    [LoggerMessage(EventId = 148, Level = LogLevel.Information, Message = "Automation {Automation} continues from its checkpoint: {RunsCompleted} runs completed, next run due at {NextDueAt}")]
    public static partial void Restored(ILogger logger, string automation, int runsCompleted, DateTimeOffset? nextDueAt);

    [LoggerMessage(EventId = 149, Level = LogLevel.Warning, Message = "Automation {Automation}: its checkpoint names thread {StoredThreadId} but it runs on thread {ThreadId}; the count and schedule carry over to the new thread")]
    public static partial void ThreadChanged(ILogger logger, string automation, string storedThreadId, string threadId);

    [LoggerMessage(EventId = 150, Level = LogLevel.Error, Message = "Automation {Automation}: its loop failed; the automation stops as Failed")]
    public static partial void LoopFailed(ILogger logger, Exception exception, string automation);

    [LoggerMessage(EventId = 151, Level = LogLevel.Warning, Message = "Automation {Automation}: letting go of its name on the state store failed; the name stays owned until this process ends")]
    public static partial void ReleaseFailed(ILogger logger, Exception exception, string automation);

    [LoggerMessage(EventId = 152, Level = LogLevel.Information, Message = "Automation {Automation} paused (a run in flight: {RunInFlight}, it finishes)")]
    public static partial void Paused(ILogger logger, string automation, bool runInFlight);

    [LoggerMessage(EventId = 153, Level = LogLevel.Information, Message = "Automation {Automation} resumed; next run due at {NextDueAt}")]
    public static partial void Resumed(ILogger logger, string automation, DateTimeOffset? nextDueAt);

    [LoggerMessage(EventId = 154, Level = LogLevel.Information, Message = "Automation {Automation}: run now requested ({Answer})")]
    public static partial void RunNowRequested(ILogger logger, string automation, string answer);

    [LoggerMessage(EventId = 155, Level = LogLevel.Information, Message = "Automation {Automation}: next run skipped (after the run in flight: {RunInFlight}); next run due at {NextDueAt}")]
    public static partial void SkipRequested(ILogger logger, string automation, bool runInFlight, DateTimeOffset? nextDueAt);

    [LoggerMessage(EventId = 156, Level = LogLevel.Information, Message = "Automation {Automation}: cancelling the run in flight (turn {TurnId})")]
    public static partial void CancelRequested(ILogger logger, string automation, string? turnId);

    [LoggerMessage(EventId = 157, Level = LogLevel.Information, Message = "Automation {Automation} run {Number} was cancelled; the automation goes on, next run due at {NextDueAt}")]
    public static partial void RunCancelled(ILogger logger, string automation, int number, DateTimeOffset? nextDueAt);

    [LoggerMessage(EventId = 158, Level = LogLevel.Warning, Message = "Automation {Automation} run {Number} failed (attempt {Attempt} of {MaxAttempts}); it is tried again at {RetryAt}")]
    public static partial void RunRetried(ILogger logger, Exception exception, string automation, int number, int attempt, int maxAttempts, DateTimeOffset retryAt);

    [LoggerMessage(EventId = 159, Level = LogLevel.Information, Message = "Automation {Automation}: missed points from {Due} passed over ({Policy}); next run due at {NextDueAt}")]
    public static partial void MissedPointsPassedOver(ILogger logger, string automation, MissedRunPolicy policy, DateTimeOffset due, DateTimeOffset? nextDueAt);

    // Run history: 170 and up (160-169 are the hosting log's).
    [LoggerMessage(EventId = 170, Level = LogLevel.Warning, Message = "Automation {Automation}: recording run {Number} in its run history failed; the run stays in the checkpoint and the automation goes on")]
    public static partial void HistoryAppendFailed(ILogger logger, Exception exception, string automation, int number);

    [LoggerMessage(EventId = 171, Level = LogLevel.Warning, Message = "Automation {Automation}: line {Line} of its run history {Path} is not a run record and is skipped ({Problem})")]
    public static partial void HistoryLineSkipped(ILogger logger, string automation, int line, string path, string problem);
}
