using CodexRuntime.Events;
using CodexRuntime.Protocol;
using StreamJsonRpc.Protocol;

namespace CodexRuntime.Rpc;

/// <summary>
/// A message we serialize ourselves (notifications and replies to server requests), sent through the message
/// handler so it is written under the same lock as StreamJsonRpc's own requests. Kind, method and id describe it for
/// the envelope stream.
/// </summary>
internal sealed class RawOutboundMessage(byte[] utf8Json, CodexEnvelopeKind kind, string? method, CodexRequestId? id) : JsonRpcMessage
{
    public byte[] Utf8Json { get; } = utf8Json;

    public CodexEnvelopeKind Kind { get; } = kind;

    public string? Method { get; } = method;

    public CodexRequestId? Id { get; } = id;
}
