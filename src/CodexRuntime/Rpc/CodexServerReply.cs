using System.Text.Json;
using CodexRuntime.Protocol;
using CodexRuntime.Serialization;

namespace CodexRuntime.Rpc;

/// <summary>The answer to a server request: a result, or a JSON-RPC error.</summary>
public sealed class CodexServerReply
{
    private CodexServerReply(JsonElement? result, int errorCode, string? errorMessage, JsonElement? errorData)
    {
        Result = result;
        ErrorCode = errorCode;
        ErrorMessage = errorMessage;
        ErrorData = errorData;
    }

    /// <summary>The result, when this is a success reply.</summary>
    public JsonElement? Result { get; }

    /// <summary>True when this reply is a JSON-RPC error.</summary>
    public bool IsError => ErrorMessage is not null;

    /// <summary>The error code, when <see cref="IsError"/>.</summary>
    public int ErrorCode { get; }

    /// <summary>The error message, when <see cref="IsError"/>.</summary>
    public string? ErrorMessage { get; }

    /// <summary>The error data, if any.</summary>
    public JsonElement? ErrorData { get; }

    /// <summary>When set, completed by the connection once the reply is written (true) or could not be (false).</summary>
    internal TaskCompletionSource<bool>? Written { get; set; }

    /// <summary>A success reply carrying <paramref name="result"/>.</summary>
    /// <param name="result">The result JSON, e.g. <c>{"decision":"accept"}</c>.</param>
    /// <returns>The reply.</returns>
    public static CodexServerReply FromResult(JsonElement result) => new(result, 0, null, null);

    /// <summary>A typed success reply to a server request of the catalog.</summary>
    /// <typeparam name="TParams">The request's params type.</typeparam>
    /// <typeparam name="TResponse">The response type.</typeparam>
    /// <param name="type">The server request, e.g. <c>CodexServerRequests.ItemCommandExecutionRequestApproval</c>.</param>
    /// <param name="response">The response, e.g. a decision.</param>
    /// <returns>The reply.</returns>
    public static CodexServerReply FromResult<TParams, TResponse>(CodexServerRequestType<TParams, TResponse> type, TResponse response)
    {
        ArgumentNullException.ThrowIfNull(type);
        return FromResult(JsonSerializer.SerializeToElement(response, CodexJsonContext.WireTypeInfo<TResponse>()));
    }

    /// <summary>An error reply.</summary>
    /// <param name="code">The JSON-RPC error code.</param>
    /// <param name="message">The error message (no secrets, no prompt text).</param>
    /// <param name="data">Optional error data.</param>
    /// <returns>The reply.</returns>
    public static CodexServerReply FromError(int code, string message, JsonElement? data = null) =>
        new(null, code, message ?? throw new ArgumentNullException(nameof(message)), data);

    /// <summary>The -32601 reply for a server request nobody handles.</summary>
    /// <param name="method">The method that has no handler.</param>
    /// <returns>The reply.</returns>
    public static CodexServerReply MethodNotFound(string method) =>
        FromError(CodexRpcErrorCodes.MethodNotFound, $"CodexRuntime has no handler for server request '{method}'");
}
