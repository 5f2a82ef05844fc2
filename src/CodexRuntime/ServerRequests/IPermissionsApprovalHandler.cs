using CodexRuntime.Protocol;

namespace CodexRuntime.ServerRequests;

/// <summary>Answers <c>item/permissions/requestApproval</c> (codex 0.169.0 and later): grant permissions?</summary>
public interface IPermissionsApprovalHandler : ICodexServerRequestHandler<PermissionsRequestApprovalParams, PermissionsRequestApprovalResponse>;
