using System.Text.Json;

namespace CodexRuntime.Web;

/// <summary>
/// The body of <c>POST /codex/sessions/{id}/approvals/{approvalId}</c>, as documentation and OpenAPI schema only:
/// exactly one member is set. The endpoint reads the raw JSON strictly, not through this type.
/// </summary>
/// <param name="Decision"><c>accept</c>, <c>acceptForSession</c>, <c>decline</c> or <c>cancel</c> (command and file-change approvals).</param>
/// <param name="Result">The answer as the approval's <c>resultType</c> (codex's response type for its kind).</param>
/// <param name="Error">A refusal codex receives as a JSON-RPC error.</param>
public sealed record WebApprovalAnswerRequest(string? Decision = null, JsonElement? Result = null, WebApprovalError? Error = null);
