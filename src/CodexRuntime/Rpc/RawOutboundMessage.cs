using StreamJsonRpc.Protocol;

namespace CodexRuntime.Rpc;

/// <summary>
/// A message we serialize ourselves (notifications and replies to server requests), sent through the message
/// handler so it is written under the same lock as StreamJsonRpc's own requests.
/// </summary>
internal sealed class RawOutboundMessage(byte[] utf8Json) : JsonRpcMessage
{
    public byte[] Utf8Json { get; } = utf8Json;
}
