using System.Text.Json.Serialization;

namespace CodexRuntime.State;

/// <summary>Where the runtime's connection to codex is in its life.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CodexConnectionStatus>))]
public enum CodexConnectionStatus
{
    /// <summary>Created; <c>StartAsync</c> has not been called.</summary>
    NotStarted,

    /// <summary>Starting the process and initializing.</summary>
    Starting,

    /// <summary>Initialized and usable.</summary>
    Connected,

    /// <summary>codex crashed and the restart policy is starting a new process; calls wait for it (within their deadline).</summary>
    Restarting,

    /// <summary>Shutting down on request.</summary>
    Stopping,

    /// <summary>Stopped on request, or codex exited cleanly (exit code 0, which is not a crash).</summary>
    Stopped,

    /// <summary>codex crashed and was not (or could not be) restarted; calls fail with the last disconnect information.</summary>
    Faulted,
}
