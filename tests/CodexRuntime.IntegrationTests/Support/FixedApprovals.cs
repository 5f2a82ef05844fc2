using CodexRuntime.Protocol;
using CodexRuntime.ServerRequests;

namespace CodexRuntime.IntegrationTests.Support;

/// <summary>A command-approval handler that always gives the same decision.</summary>
internal sealed class FixedCommandApproval(CommandExecutionApprovalDecision decision) : ICommandApprovalHandler
{
    public ValueTask<CommandExecutionRequestApprovalResponse> HandleAsync(CommandExecutionRequestApprovalParams request, CodexServerRequestContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new CommandExecutionRequestApprovalResponse { Decision = decision });
}
