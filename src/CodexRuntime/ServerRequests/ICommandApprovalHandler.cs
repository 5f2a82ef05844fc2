using CodexRuntime.Protocol;

namespace CodexRuntime.ServerRequests;

/// <summary>Answers <c>item/commandExecution/requestApproval</c>: run a command (outside the sandbox, or with extra permissions)?</summary>
public interface ICommandApprovalHandler : ICodexServerRequestHandler<CommandExecutionRequestApprovalParams, CommandExecutionRequestApprovalResponse>;
