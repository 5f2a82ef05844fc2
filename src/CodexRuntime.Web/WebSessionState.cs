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
/// <param name="Items">The commands and file changes of the turn, in the order they started, each as it is now.</param>
public sealed record WebTurnSummary(string TurnId, string Status, string Prompt, string Text, IReadOnlyList<WebTurnItem> Items);

/// <summary>A command or file change of a turn.</summary>
/// <param name="ItemId">The item.</param>
/// <param name="Type"><c>commandExecution</c> or <c>fileChange</c>.</param>
/// <param name="Summary">The command line, or the changed paths.</param>
/// <param name="Status">codex's status of the item, e.g. <c>inProgress</c>, <c>completed</c>, <c>declined</c>.</param>
public sealed record WebTurnItem(string ItemId, string Type, string Summary, string? Status);

/// <summary>An approval a web client may answer (its JSON-RPC id never leaves the server).</summary>
/// <param name="ApprovalId">An opaque id (a UUID) for this approval only.</param>
/// <param name="Kind"><c>command</c>, <c>fileChange</c>, <c>permissions</c>, <c>userInput</c>, <c>mcpElicitation</c> or <c>dynamicToolCall</c>.</param>
/// <param name="TurnId">The turn that asks.</param>
/// <param name="Command">The command, for command approvals.</param>
/// <param name="Cwd">Where it would run.</param>
/// <param name="Reason">codex's reason, if it gave one.</param>
/// <param name="Decisions">
/// The decisions it takes (<c>accept</c>, <c>acceptForSession</c>, <c>decline</c>, <c>cancel</c> for command and file
/// change; none for the other kinds). Every kind also takes <c>{ "result": ... }</c> or <c>{ "error": { "message": ... } }</c>.
/// </param>
/// <param name="ResultType">The codex schema type a <c>result</c> answer must be, e.g. <c>ToolRequestUserInputResponse</c>.</param>
/// <param name="Params">What codex sent with the request (its params; never its JSON-RPC id).</param>
public sealed record WebApproval(string ApprovalId, string Kind, string? TurnId, string? Command, string? Cwd, string? Reason, IReadOnlyList<string> Decisions, string ResultType, System.Text.Json.JsonElement Params);
