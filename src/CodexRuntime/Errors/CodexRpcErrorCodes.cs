namespace CodexRuntime;

/// <summary>JSON-RPC error codes that codex uses or that CodexRuntime sends.</summary>
public static class CodexRpcErrorCodes
{
    /// <summary>-32700: the message was not valid JSON.</summary>
    public const int ParseError = -32700;

    /// <summary>-32600: invalid request (codex also sends it for unknown methods and missing opt-ins).</summary>
    public const int InvalidRequest = -32600;

    /// <summary>-32601: method not found. CodexRuntime answers server requests nobody handles with this code.</summary>
    public const int MethodNotFound = -32601;

    /// <summary>-32602: invalid params.</summary>
    public const int InvalidParams = -32602;

    /// <summary>-32603: internal error. CodexRuntime answers a server request whose handler failed with this code.</summary>
    public const int InternalError = -32603;

    /// <summary>-32001: the server is overloaded; retry later with backoff.</summary>
    public const int ServerOverloaded = -32001;
}
