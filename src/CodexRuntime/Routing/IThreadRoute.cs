using CodexRuntime.Rpc;
using CodexRuntime.ServerRequests;

namespace CodexRuntime.Routing;

/// <summary>
/// Where the runtime hands what codex sends for one thread, on its reader, in wire order: notifications after the state
/// projection applied them, and the server requests the route takes. Implementations must not block: they queue and return.
/// </summary>
internal interface IThreadRoute
{
    /// <summary>A notification of the route's thread, already applied to the state.</summary>
    void Deliver(CodexInboundMessage message);

    /// <summary>
    /// A server request of the route's thread: true when the route takes it, and then answers it exactly once (or hands
    /// it back unread with <see cref="CodexServerRequest.Release"/>); false leaves it to the dispatcher's other answerers.
    /// </summary>
    bool TryTake(CodexServerRequest request);

    /// <summary>codex went away (disconnect or stop): nothing more will come on this route.</summary>
    void Complete();
}
