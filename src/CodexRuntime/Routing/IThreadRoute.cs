using CodexRuntime.Rpc;

namespace CodexRuntime.Routing;

/// <summary>
/// Where the runtime hands the inbound notifications of one thread, on its reader, in wire order, after the state
/// projection applied them. Implementations must not block: they queue and return.
/// </summary>
internal interface IThreadRoute
{
    /// <summary>A notification of the route's thread, already applied to the state.</summary>
    void Deliver(CodexInboundMessage message);

    /// <summary>codex went away (disconnect or stop): nothing more will come on this route.</summary>
    void Complete();
}
