namespace CodexRuntime.ServerRequests;

/// <summary>Who answers server requests, and how the rest are answered.</summary>
public sealed class CodexServerRequestOptions
{
    /// <summary>Answers command approvals.</summary>
    public ICommandApprovalHandler? CommandApproval { get; set; }

    /// <summary>Answers file-change approvals.</summary>
    public IFileChangeApprovalHandler? FileChangeApproval { get; set; }

    /// <summary>Answers permission requests.</summary>
    public IPermissionsApprovalHandler? PermissionsApproval { get; set; }

    /// <summary>Answers user-input requests.</summary>
    public IUserInputHandler? UserInput { get; set; }

    /// <summary>Runs dynamic tool calls.</summary>
    public IDynamicToolCallHandler? DynamicToolCall { get; set; }

    /// <summary>Answers MCP elicitations.</summary>
    public IMcpElicitationHandler? McpElicitation { get; set; }

    /// <summary>Refreshes externally managed ChatGPT auth tokens.</summary>
    public IAuthTokenRefreshHandler? AuthTokenRefresh { get; set; }

    /// <summary>How a request without a handler is answered (at once). Fail-closed by default: approvals are declined.</summary>
    public CodexServerRequestPolicy UnhandledPolicy { get; set; } = CodexServerRequestPolicy.Decline;

    /// <summary>How long a handler may take before the request is answered by <see cref="DeadlinePolicy"/>.</summary>
    public TimeSpan Deadline { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How a request whose handler missed the deadline is answered.</summary>
    public CodexServerRequestPolicy DeadlinePolicy { get; set; } = CodexServerRequestPolicy.Decline;

    /// <summary>Clock for deadlines.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
