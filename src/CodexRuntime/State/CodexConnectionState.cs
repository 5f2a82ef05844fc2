using CodexRuntime.Rpc;

namespace CodexRuntime.State;

/// <summary>The runtime's connection at the moment of a snapshot.</summary>
/// <param name="Status">Where the connection is in its life.</param>
/// <param name="Server">What the connected codex said in <c>initialize</c>; null before the first connection.</param>
/// <param name="ProcessId">The codex process id, when the transport is a process.</param>
/// <param name="Restarts">How many times the restart policy started a new process.</param>
/// <param name="LastDisconnect">How the previous connection ended (exit code, stderr tail), if one did.</param>
/// <param name="ConnectedAt">When the current connection was initialized.</param>
public sealed record CodexConnectionState(
    CodexConnectionStatus Status,
    CodexServerInfo? Server,
    int? ProcessId,
    int Restarts,
    CodexDisconnectInfo? LastDisconnect,
    DateTimeOffset? ConnectedAt)
{
    /// <summary>True when the connected codex is newer than the one the typed protocol was generated from (see <see cref="CodexServerInfo.IsNewerThanPinned"/>); a Warning was logged at connect.</summary>
    public bool CodexNewerThanPinned => Server?.IsNewerThanPinned == true;
}
