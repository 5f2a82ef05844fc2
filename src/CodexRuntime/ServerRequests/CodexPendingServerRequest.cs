using CodexRuntime.Protocol;

namespace CodexRuntime.ServerRequests;

/// <summary>A server request that has not been answered yet (an immutable snapshot).</summary>
/// <param name="Method">The method.</param>
/// <param name="Id">The request id.</param>
/// <param name="ThreadId">The thread, if named.</param>
/// <param name="TurnId">The turn, if named.</param>
/// <param name="ItemId">The item, if named.</param>
/// <param name="ReceivedAt">When it arrived.</param>
/// <param name="Deadline">When it is answered by policy.</param>
public sealed record CodexPendingServerRequest(string Method, CodexRequestId Id, string? ThreadId, string? TurnId, string? ItemId, DateTimeOffset ReceivedAt, DateTimeOffset Deadline);
