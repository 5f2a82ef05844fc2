namespace CodexRuntime;

/// <summary>
/// Decides the approval requests of a session that no typed handler (<see cref="RunProfile.CommandApproval"/>,
/// <see cref="RunProfile.FileChangeApproval"/>) and no streaming caller answered. Use one of the ready-made policies or
/// <see cref="Ask"/> to ask your own code.
/// </summary>
public abstract class CodexApprovalHandler
{
    /// <summary>Default: decline every request (fail closed); the turn goes on without the action.</summary>
    public static CodexApprovalHandler DeclineAll { get; } = new Fixed(CodexApprovalDecision.Decline, "decline all");

    /// <summary>Accept every request, once each.</summary>
    public static CodexApprovalHandler AcceptAll { get; } = new Fixed(CodexApprovalDecision.Accept, "accept all");

    /// <summary>Accept every request for the rest of the session (codex stops asking for the same kind of action).</summary>
    public static CodexApprovalHandler AcceptForSession { get; } = new Fixed(CodexApprovalDecision.AcceptForSession, "accept for session");

    /// <summary>Asks <paramref name="decide"/> (a UI, a rule engine, a person over HTTP).</summary>
    /// <param name="decide">Returns the decision; its token is cancelled when codex resolves the request or the deadline passes.</param>
    /// <returns>The handler.</returns>
    public static CodexApprovalHandler Ask(Func<CodexApprovalRequest, CancellationToken, ValueTask<CodexApprovalDecision>> decide)
    {
        ArgumentNullException.ThrowIfNull(decide);
        return new Delegating(decide);
    }

    /// <summary>Decides one request.</summary>
    /// <param name="request">What codex asks.</param>
    /// <param name="cancellationToken">Cancelled when codex resolves the request itself or the deadline passes.</param>
    /// <returns>The decision.</returns>
    public abstract ValueTask<CodexApprovalDecision> DecideAsync(CodexApprovalRequest request, CancellationToken cancellationToken);

    private sealed class Fixed(CodexApprovalDecision decision, string name) : CodexApprovalHandler
    {
        public override ValueTask<CodexApprovalDecision> DecideAsync(CodexApprovalRequest request, CancellationToken cancellationToken) => ValueTask.FromResult(decision);

        public override string ToString() => name;
    }

    private sealed class Delegating(Func<CodexApprovalRequest, CancellationToken, ValueTask<CodexApprovalDecision>> decide) : CodexApprovalHandler
    {
        public override ValueTask<CodexApprovalDecision> DecideAsync(CodexApprovalRequest request, CancellationToken cancellationToken) => decide(request, cancellationToken);

        public override string ToString() => "ask a delegate";
    }
}
