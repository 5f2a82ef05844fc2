using System.Text.Json;

namespace CodexRuntime;

/// <summary>
/// The request was invalid (-32600). codex also uses this code for an unknown method, a request before
/// <c>initialize</c>, and an experimental method or field used without the experimental API opt-in.
/// </summary>
public sealed class CodexInvalidRequestException(string method, string errorMessage, JsonElement? data)
    : CodexRpcException(method, CodexRpcErrorCodes.InvalidRequest, errorMessage, data);
