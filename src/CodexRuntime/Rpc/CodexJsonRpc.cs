using System.Text.Json;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace CodexRuntime.Rpc;

/// <summary>StreamJsonRpc's <see cref="JsonRpc"/>, told to keep error data as raw JSON (codex's error data has no fixed shape).</summary>
internal sealed class CodexJsonRpc(IJsonRpcMessageHandler handler) : JsonRpc(handler)
{
    protected override Type? GetErrorDetailsDataType(JsonRpcError error) => typeof(JsonElement);
}
