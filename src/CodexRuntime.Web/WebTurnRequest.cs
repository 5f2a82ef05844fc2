using System.Text.Json;

namespace CodexRuntime.Web;

/// <summary>
/// The body of <c>POST /codex/sessions/{id}/turns</c>, as documentation and OpenAPI schema only: the endpoint reads
/// the raw JSON strictly (thread, cwd, sandbox, approval policy and model are refused by name), not through this type.
/// </summary>
/// <param name="Text">What to ask: at most <see cref="WebAdapterOptions.MaxPromptBytes"/> UTF-8 bytes.</param>
/// <param name="Effort">An effort from <see cref="WebAdapterOptions.AllowedEfforts"/>.</param>
/// <param name="OutputSchema">A JSON schema the final answer must follow.</param>
/// <param name="Attachments">Images as <c>data:</c> URLs, when <see cref="WebAdapterOptions.AllowImageAttachments"/>.</param>
public sealed record WebTurnRequest(string Text, string? Effort = null, JsonElement? OutputSchema = null, IReadOnlyList<WebAttachment>? Attachments = null);
