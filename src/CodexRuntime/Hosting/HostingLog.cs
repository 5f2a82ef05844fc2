using Microsoft.Extensions.Logging;

// The root namespace: internal registration plumbing of the root layer (it binds ClientConfig and builds CodexClient);
// the file stays in Hosting/ until the folders are regrouped.
namespace CodexRuntime;

/// <summary>Source-generated log messages of the hosted service (event ids 40-49).</summary>
internal static partial class HostingLog
{
    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "Starting codex client {Client} at host start")]
    public static partial void Starting(ILogger logger, string client);

    [LoggerMessage(EventId = 41, Level = LogLevel.Information, Message = "codex client {Client} is connected (pid {ProcessId})")]
    public static partial void Started(ILogger logger, string client, int? processId);

    [LoggerMessage(EventId = 42, Level = LogLevel.Information, Message = "Stopping codex client {Client} at host stop")]
    public static partial void Stopping(ILogger logger, string client);

    [LoggerMessage(EventId = 43, Level = LogLevel.Error, Message = "codex client {Client} did not start; stopping the clients started before it")]
    public static partial void StartFailed(ILogger logger, Exception exception, string client);

    [LoggerMessage(EventId = 44, Level = LogLevel.Error, Message = "Stopping codex client {Client} failed")]
    public static partial void StopFailed(ILogger logger, Exception exception, string client);
}
