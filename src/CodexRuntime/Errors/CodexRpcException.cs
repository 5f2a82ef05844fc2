using System.Text.Json;

namespace CodexRuntime;

/// <summary>
/// The server answered a request with a JSON-RPC error. Well-known codes have their own subtypes:
/// <see cref="CodexServerOverloadedException"/> (-32001), <see cref="CodexInvalidRequestException"/> (-32600),
/// <see cref="CodexMethodNotFoundException"/> (-32601) and <see cref="CodexInvalidParamsException"/> (-32602).
/// </summary>
public class CodexRpcException : CodexException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="method">The method of the failed request.</param>
    /// <param name="code">The JSON-RPC error code.</param>
    /// <param name="errorMessage">The error message the server sent.</param>
    /// <param name="data">The error's <c>data</c> member, if any.</param>
    public CodexRpcException(string method, int code, string errorMessage, JsonElement? data)
        : base($"codex answered '{method}' with JSON-RPC error {code}: {errorMessage}")
    {
        Method = method;
        Code = code;
        ErrorMessage = errorMessage;
        ErrorData = data;
    }

    /// <summary>The method of the failed request.</summary>
    public string Method { get; }

    /// <summary>The JSON-RPC error code.</summary>
    public int Code { get; }

    /// <summary>The error message the server sent.</summary>
    public string ErrorMessage { get; }

    /// <summary>The error's <c>data</c> member, if any.</summary>
    public JsonElement? ErrorData { get; }

    /// <summary>Creates the most specific exception type for a JSON-RPC error code.</summary>
    /// <param name="method">The method of the failed request.</param>
    /// <param name="code">The JSON-RPC error code.</param>
    /// <param name="errorMessage">The error message the server sent.</param>
    /// <param name="data">The error's <c>data</c> member, if any.</param>
    /// <returns>The exception to throw.</returns>
    public static CodexRpcException Create(string method, int code, string errorMessage, JsonElement? data) => code switch
    {
        CodexRpcErrorCodes.ServerOverloaded => new CodexServerOverloadedException(method, errorMessage, data),
        CodexRpcErrorCodes.InvalidRequest => new CodexInvalidRequestException(method, errorMessage, data),
        CodexRpcErrorCodes.MethodNotFound => new CodexMethodNotFoundException(method, errorMessage, data),
        CodexRpcErrorCodes.InvalidParams => new CodexInvalidParamsException(method, errorMessage, data),
        _ => new CodexRpcException(method, code, errorMessage, data),
    };
}
