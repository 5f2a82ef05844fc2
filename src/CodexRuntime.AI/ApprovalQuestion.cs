using Microsoft.Extensions.AI;

namespace CodexRuntime.AI;

/// <summary>codex asks for approval of a command or file change: answered by a <see cref="ToolApprovalResponseContent"/>.</summary>
internal sealed class ApprovalQuestion(CodexApprovalRequest approval) : TurnQuestion
{
    private readonly ToolApprovalRequestContent _content = TurnUpdates.ApprovalRequest(approval);

    public override string Id => _content.RequestId;

    public override AIContent Content => _content;

    public override ChatFinishReason? FinishReason => null;

    public override string Describe() => $"approval {Id} (send a ToolApprovalResponseContent for it, and no new text)";

    public override bool IsAnsweredBy(ChatRequest request) => Answer(request) is not null;

    public override Task<bool> AnswerAsync(ChatRequest request) =>
        approval.RespondAsync(Answer(request)!.Approved ? CodexApprovalDecision.Accept : CodexApprovalDecision.Decline);

    private ToolApprovalResponseContent? Answer(ChatRequest request) => request.Approvals.FirstOrDefault(a => a.RequestId == Id);
}
