using CodexRuntime.Protocol;
using CodexRuntime.Rpc;

namespace CodexRuntime.ServerRequests;

/// <summary>What a handler knows about the request besides its params.</summary>
public sealed class CodexServerRequestContext
{
    internal CodexServerRequestContext(CodexInboundMessage request, DateTimeOffset deadline)
    {
        Method = request.Method;
        Id = request.Id!.Value;
        ThreadId = request.ThreadId;
        TurnId = request.TurnId;
        ItemId = request.ItemId;
        ReceivedAt = request.ReceivedAt;
        Deadline = deadline;
    }

    /// <summary>The method, e.g. <c>item/commandExecution/requestApproval</c>.</summary>
    public string Method { get; }

    /// <summary>The JSON-RPC id codex gave the request.</summary>
    public CodexRequestId Id { get; }

    /// <summary>The thread, if the request names one.</summary>
    public string? ThreadId { get; }

    /// <summary>The turn, if the request names one.</summary>
    public string? TurnId { get; }

    /// <summary>The item (for approvals: the command or file change), if the request names one.</summary>
    public string? ItemId { get; }

    /// <summary>When the request arrived.</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>When it is answered by policy if the handler has not answered.</summary>
    public DateTimeOffset Deadline { get; }
}
