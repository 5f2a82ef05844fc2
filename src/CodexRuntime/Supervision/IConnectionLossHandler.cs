using CodexRuntime.State;

namespace CodexRuntime.Supervision;

/// <summary>What the runtime does when the supervisor loses or replaces its connection.</summary>
internal interface IConnectionLossHandler
{
    /// <summary>The connection is gone (crash or stop): running turns fail with <paramref name="error"/>, open routes complete.</summary>
    void ConnectionLost(string reason, CodexTransportClosedException error);

    /// <summary>A new process is connected after a restart (counted).</summary>
    void Restarted();

    /// <summary>The runtime ended for good (stopped, or gave up on codex): complete every stream once.</summary>
    Task RuntimeEndedAsync(CodexConnectionStatus status, string reason);
}
