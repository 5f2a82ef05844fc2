namespace CodexRuntime.Web;

/// <summary>A web session as a client reloads it (after a <c>reset</c> event, or on page load).</summary>
/// <param name="SessionId">The session.</param>
/// <param name="ArtifactId">The artifact it works on.</param>
/// <param name="ThreadId">The codex thread.</param>
/// <param name="Status"><c>active</c>, <c>closing</c> or <c>closed</c>.</param>
/// <param name="ActiveTurnId">The running turn, if any.</param>
/// <param name="LastEventId">The id of the newest event; a stream opened with <c>Last-Event-ID</c> set to it gets only what comes next.</param>
/// <param name="Turns">The session's turns so far, oldest first: id, status and the assistant's text.</param>
/// <param name="PendingApprovals">Approvals waiting for an answer.</param>
public sealed record WebSessionState(
    string SessionId,
    string ArtifactId,
    string ThreadId,
    string Status,
    string? ActiveTurnId,
    long LastEventId,
    IReadOnlyList<WebTurnSummary> Turns,
    IReadOnlyList<WebApproval> PendingApprovals);

/// <summary>One turn of a web session.</summary>
/// <param name="TurnId">The turn.</param>
/// <param name="Status">codex's status (<c>inProgress</c>, <c>completed</c>, <c>interrupted</c>, <c>failed</c>).</param>
/// <param name="Prompt">What was asked.</param>
/// <param name="Text">The assistant's text so far.</param>
public sealed record WebTurnSummary(string TurnId, string Status, string Prompt, string Text);

/// <summary>An approval a web client may answer (its JSON-RPC id never leaves the server).</summary>
/// <param name="ApprovalId">An opaque id (a UUID) for this approval only.</param>
/// <param name="Kind"><c>command</c> or <c>fileChange</c>.</param>
/// <param name="TurnId">The turn that asks.</param>
/// <param name="Command">The command, for command approvals.</param>
/// <param name="Cwd">Where it would run.</param>
/// <param name="Reason">codex's reason, if it gave one.</param>
/// <param name="Decisions">The answers it takes: <c>accept</c>, <c>acceptForSession</c>, <c>decline</c>, <c>cancel</c>.</param>
public sealed record WebApproval(string ApprovalId, string Kind, string? TurnId, string? Command, string? Cwd, string? Reason, IReadOnlyList<string> Decisions);
