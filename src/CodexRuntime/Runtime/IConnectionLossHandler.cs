using CodexRuntime.State;

// The root namespace: internal plumbing of the root layer (it uses the root's options and exceptions); the file stays in
// Supervision/ until the folders are regrouped.
namespace CodexRuntime;

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
