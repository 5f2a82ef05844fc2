using CodexRuntime.Protocol;

namespace CodexRuntime.ServerRequests;

/// <summary>Answers <c>item/fileChange/requestApproval</c>: apply a file change?</summary>
public interface IFileChangeApprovalHandler : ICodexServerRequestHandler<FileChangeRequestApprovalParams, FileChangeRequestApprovalResponse>;
