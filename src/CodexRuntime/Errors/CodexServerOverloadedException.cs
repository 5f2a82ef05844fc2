using System.Text.Json;

namespace CodexRuntime;

/// <summary>codex is overloaded (-32001, "Server overloaded; retry later"): retry with backoff.</summary>
public sealed class CodexServerOverloadedException(string method, string errorMessage, JsonElement? data)
    : CodexRpcException(method, CodexRpcErrorCodes.ServerOverloaded, errorMessage, data);
