using CodexRuntime.Diagnostics;
using CodexRuntime.Protocol;
using CodexRuntime.ServerRequests;
using Microsoft.Extensions.Logging;

namespace CodexRuntime;

/// <summary>
/// Answers the approval requests of one session's turns, as each turn's one consumer reads them from its queue in wire
/// order. Each has exactly one answer, from the first of: a PreToolUse hook that blocks (decline), the profile's typed
/// handler for its kind, the turn's stream reader (an <see cref="ApprovalRequestedEvent"/>), or the profile's
/// <see cref="RunProfile.Approvals"/> policy. A handler that fails declines (fail closed).
/// </summary>
internal sealed class SessionApprovals
{
    private readonly RunProfile _profile;
    private readonly ILogger _logger;

    /// <param name="profile">The session's profile (read per request: changes apply to later requests).</param>
    /// <param name="logger">Logging.</param>
    public SessionApprovals(RunProfile profile, ILogger logger)
    {
        _profile = profile;
        _logger = logger;
    }

    /// <summary>
    /// Runs the answerers that come before the turn's reader: PreToolUse, then the typed handler of the request's kind
    /// (started, not awaited: a handler waiting for a person never holds up the turn's queue).
    /// </summary>
    /// <param name="request">An approval request the turn took from its queue.</param>
    /// <param name="turnId">The turn (a request of another turn skips its hooks and its reader and goes to the policy).</param>
    /// <param name="interception">The turn's interceptors.</param>
    /// <returns>The approval, for the turn's reader or the policy; null when it is answered or being answered.</returns>
    public async ValueTask<CodexApprovalRequest?> ScreenAsync(CodexServerRequest request, string turnId, TurnInterception interception)
    {
        try
        {
            var approval = new CodexApprovalRequest(request);
            var ours = request.TurnId == turnId;
            if (ours && await interception.BlockedByPreToolUseAsync(approval).ConfigureAwait(false))
            {
                // A PreToolUse block declines the tool whoever would have answered.
                _ = approval.RespondAsync(CodexApprovalDecision.Decline);
                return null;
            }

            if (_profile.CommandApproval is { } commands && request.Is(CodexServerRequests.ItemCommandExecutionRequestApproval))
            {
                _ = AnswerByHandlerAsync(commands, CodexServerRequests.ItemCommandExecutionRequestApproval, request);
                return null;
            }

            if (_profile.FileChangeApproval is { } changes && request.Is(CodexServerRequests.ItemFileChangeRequestApproval))
            {
                _ = AnswerByHandlerAsync(changes, CodexServerRequests.ItemFileChangeRequestApproval, request);
                return null;
            }

            if (!ours)
            {
                _ = AnswerByPolicyAsync(approval);
                return null;
            }

            return approval;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            await DeclineAsync(request, ex).ConfigureAwait(false);
            return null;
        }
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

    private async Task AnswerByHandlerAsync<TParams, TResponse>(ICodexServerRequestHandler<TParams, TResponse> handler, CodexServerRequestType<TParams, TResponse> type, CodexServerRequest request)
    {
        try
        {
            var response = await handler.HandleAsync(request.ReadParams(type), request.Context, request.Abandoned).ConfigureAwait(false);
            await request.RespondAsync(type, response).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            await DeclineAsync(request, ex).ConfigureAwait(false);
        }
    }

    /// <summary>Fail closed: a handler that throws declines, and the error is logged, never swallowed silently.</summary>
    private async Task DeclineAsync(CodexServerRequest request, Exception error)
    {
        Log.ApprovalHandlerFailed(_logger, request.Method, error.GetType().Name);
        if (!request.IsAnswered)
        {
            await new CodexApprovalRequest(request).RespondAsync(CodexApprovalDecision.Decline).ConfigureAwait(false);
        }
    }
}
