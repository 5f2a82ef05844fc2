using CodexRuntime.Rpc;

// The root namespace: internal plumbing of the root layer (it uses the root's options and exceptions); the file stays in
// Supervision/ until the folders are regrouped.
namespace CodexRuntime;

/// <summary>What happened to the runtime's codex process, as the layers above it are told (typed, in order).</summary>
internal enum RuntimeSignalKind
{
    /// <summary>The first connection is up.</summary>
    Started,

    /// <summary>The connection ended without a stop request (<see cref="RuntimeSignal.Disconnect"/> says how).</summary>
    Disconnected,

    /// <summary>A restart is scheduled (<see cref="RuntimeSignal.Attempt"/>); calls made now wait for the new process.</summary>
    Restarting,

    /// <summary>A new process is connected after a restart.</summary>
    Restarted,

    /// <summary>The runtime stopped (asked to) or faulted (gave up on codex): nothing will come back.</summary>
    Ended,
}

/// <summary>One runtime lifecycle event.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Attempt">The restart attempt (Restarting, Restarted).</param>
/// <param name="Disconnect">How the connection ended (Disconnected, Restarting).</param>
/// <param name="Faulted">For Ended: true when the runtime gave up on codex rather than being stopped.</param>
internal readonly record struct RuntimeSignal(RuntimeSignalKind Kind, int? Attempt = null, CodexDisconnectInfo? Disconnect = null, bool Faulted = false);
