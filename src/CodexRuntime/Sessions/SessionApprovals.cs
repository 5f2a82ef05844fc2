using CodexRuntime.Diagnostics;
using CodexRuntime.Protocol;
using CodexRuntime.ServerRequests;
using Microsoft.Extensions.Logging;

namespace CodexRuntime.Sessions;

/// <summary>
/// Answers the approval requests of one session's thread. Each request has exactly one answer, from the first of:
/// a PreToolUse hook that blocks (decline), the profile's typed handler for its kind, the running turn's stream
/// (an <see cref="ApprovalRequestedEvent"/>), or the profile's <see cref="RunProfile.Approvals"/> policy. A handler
/// that fails declines (fail closed).
/// </summary>
internal sealed class SessionApprovals
{
    private readonly RunProfile _profile;
    private readonly Func<Task<CodexTurn?>> _currentTurn;
    private readonly ILogger _logger;
    private readonly CodexServerRequestStream _requests;
    private readonly Task _pump;

    /// <param name="runtime">The runtime whose server requests are claimed.</param>
    /// <param name="threadId">The session's thread id now (it can change when a session is recreated after a restart).</param>
    /// <param name="profile">The session's profile (read per request: changes apply to later requests).</param>
    /// <param name="currentTurn">The running turn, waiting while turn/start is in flight.</param>
    /// <param name="logger">Logging.</param>
    public SessionApprovals(CodexRuntimeHost runtime, Func<string> threadId, RunProfile profile, Func<Task<CodexTurn?>> currentTurn, ILogger logger)
    {
        _profile = profile;
        _currentTurn = currentTurn;
        _logger = logger;
        _requests = runtime.OpenServerRequestStream(new CodexServerRequestStreamOptions
        {
            Filter = request => CodexApprovalRequest.IsApproval(request) && request.ThreadId == threadId(),
        });
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>Answers an approval with <see cref="RunProfile.Approvals"/>; a handler that fails declines (fail closed).</summary>
    public async Task AnswerByPolicyAsync(CodexApprovalRequest approval)
    {
        if (approval.IsAnswered)
        {
            return;
        }

        CodexApprovalDecision decision;
        try
        {
            decision = await _profile.Approvals.DecideAsync(approval, approval.Abandoned).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.ApprovalHandlerFailed(_logger, approval.Request.Method, ex.GetType().Name);
            decision = CodexApprovalDecision.Decline;
        }

        await approval.RespondAsync(decision).ConfigureAwait(false);
    }

    /// <summary>Stops claiming requests and waits for the pump to end (requests already taken are still answered).</summary>
    public async Task StopAsync()
    {
        _requests.Dispose();
        await _pump.ConfigureAwait(false);
    }

    private async Task PumpAsync()
    {
        await foreach (var request in _requests.ReadAllAsync().ConfigureAwait(false))
        {
            // Each request on its own task: a handler waiting for a person never holds up the next request.
            _ = Task.Run(() => AnswerAsync(request));
        }
    }

    private async Task AnswerAsync(CodexServerRequest request)
    {
        try
        {
            // Tool hooks first: a PreToolUse block declines the tool whoever would have answered.
            var approval = new CodexApprovalRequest(request);
            var turn = await _currentTurn().ConfigureAwait(false);
            var ours = turn is not null && turn.TurnId == request.TurnId;
            if (ours && await turn!.BlockedByPreToolUseAsync(approval).ConfigureAwait(false))
            {
                await approval.RespondAsync(CodexApprovalDecision.Decline).ConfigureAwait(false);
                return;
            }

            if (_profile.CommandApproval is { } commands && request.Is(CodexServerRequests.ItemCommandExecutionRequestApproval))
            {
                var response = await commands.HandleAsync(request.ReadParams(CodexServerRequests.ItemCommandExecutionRequestApproval), request.Context, request.Abandoned).ConfigureAwait(false);
                await request.RespondAsync(CodexServerRequests.ItemCommandExecutionRequestApproval, response).ConfigureAwait(false);
                return;
            }

            if (_profile.FileChangeApproval is { } changes && request.Is(CodexServerRequests.ItemFileChangeRequestApproval))
            {
                var response = await changes.HandleAsync(request.ReadParams(CodexServerRequests.ItemFileChangeRequestApproval), request.Context, request.Abandoned).ConfigureAwait(false);
                await request.RespondAsync(CodexServerRequests.ItemFileChangeRequestApproval, response).ConfigureAwait(false);
                return;
            }

            if (ours && turn!.TryOffer(approval))
            {
                return;
            }

            await AnswerByPolicyAsync(approval).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Fail closed: a handler that throws declines, and the error is logged, never swallowed silently.
            Log.ApprovalHandlerFailed(_logger, request.Method, ex.GetType().Name);
            if (!request.IsAnswered)
            {
                await new CodexApprovalRequest(request).RespondAsync(CodexApprovalDecision.Decline).ConfigureAwait(false);
            }
        }
    }
}
