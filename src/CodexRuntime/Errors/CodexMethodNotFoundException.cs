using System.Text.Json;

namespace CodexRuntime;

/// <summary>The method does not exist on the server (-32601).</summary>
public sealed class CodexMethodNotFoundException(string method, string errorMessage, JsonElement? data)
    : CodexRpcException(method, CodexRpcErrorCodes.MethodNotFound, errorMessage, data);
