using Microsoft.Extensions.Logging;

namespace CodexRuntime.Automation;

/// <summary>Source-generated log messages of hosted automations (event ids 160-169).</summary>
internal static partial class AutomationHostingLog
{
    [LoggerMessage(EventId = 160, Level = LogLevel.Information, Message = "Automation {Automation}: resuming its stored thread {ThreadId}")]
    public static partial void Resuming(ILogger logger, string automation, string threadId);

    [LoggerMessage(EventId = 161, Level = LogLevel.Warning, Message = "Automation {Automation}: its stored thread {ThreadId} is gone from codex ({Reason}); it continues its schedule on a new thread")]
    public static partial void ThreadGone(ILogger logger, string automation, string threadId, string reason);

    [LoggerMessage(EventId = 162, Level = LogLevel.Error, Message = "Automation {Automation} did not start; the host goes on without it")]
    public static partial void StartFailed(ILogger logger, Exception exception, string automation);

    [LoggerMessage(EventId = 163, Level = LogLevel.Warning, Message = "Automation {Automation}: its turn did not end within {Seconds} s of the stop; letting go")]
    public static partial void StopTimedOut(ILogger logger, string automation, double seconds);

    [LoggerMessage(EventId = 164, Level = LogLevel.Information, Message = "Automation {Automation}: {Owner} runs it on the state store; standing by, trying again every {Seconds} s")]
    public static partial void StandingBy(ILogger logger, string automation, string owner, double seconds);

    [LoggerMessage(EventId = 165, Level = LogLevel.Information, Message = "Automation {Automation}: took over from {Owner}")]
    public static partial void TookOver(ILogger logger, string automation, string owner);
}
