using System.Text.Json;

namespace CodexRuntime;

/// <summary>The params were rejected by the server (-32602).</summary>
public sealed class CodexInvalidParamsException(string method, string errorMessage, JsonElement? data)
    : CodexRpcException(method, CodexRpcErrorCodes.InvalidParams, errorMessage, data);
