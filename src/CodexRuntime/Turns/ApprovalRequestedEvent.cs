namespace CodexRuntime;

/// <summary>
/// codex asks for approval and no typed handler of the profile took it. Answer it with
/// <see cref="CodexApprovalRequest.RespondAsync"/> before reading the next event; a request still unanswered when the
/// next event is read (or the stream is left) is answered by <see cref="RunProfile.Approvals"/>.
/// </summary>
/// <param name="ThreadId">The thread.</param>
/// <param name="TurnId">The turn.</param>
/// <param name="Request">The request, with what it asks and how to answer.</param>
public sealed record ApprovalRequestedEvent(string ThreadId, string TurnId, CodexApprovalRequest Request) : CodexTurnEvent(ThreadId, TurnId);
