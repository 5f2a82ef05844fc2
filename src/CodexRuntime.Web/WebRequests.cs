using System.Text;
using System.Text.Json;
using CodexRuntime.Web.Sessions;

namespace CodexRuntime.Web;

/// <summary>
/// The narrow shapes a client may send, read member by member from the raw JSON: anything outside the shape is
/// refused naming the member, so a browser can never set a thread, cwd, sandbox, approval policy or a model outside
/// the allowed list.
/// </summary>
internal static class WebRequests
{
    private static readonly string[] ServerOnly = ["threadId", "cwd", "sandbox", "sandboxPolicy", "approvalPolicy", "approvalsReviewer", "model", "config", "permissions"];

    /// <summary>A session: <c>{ "artifactId": "...", "model"?: "...", "threadId"?: "..." }</c>.</summary>
    public static (string ArtifactId, string? Model, string? ThreadId) Session(JsonElement body, WebAdapterOptions options)
    {
        RequireObject(body, "session");
        RequireText(body, "$", Invalid);
        string? artifactId = null, model = null, threadId = null;
        foreach (var member in body.EnumerateObject())
        {
            switch (member.Name)
            {
                case "artifactId":
                    artifactId = String(member);
                    break;
                case "model":
                    model = String(member);
                    break;
                case "threadId":
                    threadId = String(member);
                    break;
                default:
                    throw Invalid(member.Name, $"'{member.Name}' is not a member of a session request; send artifactId, and optionally model and threadId.");
            }
        }

        if (string.IsNullOrWhiteSpace(artifactId) || artifactId.Length > 200)
        {
            throw Invalid("artifactId", "artifactId is required: a non-empty string of at most 200 characters naming what the session works on.");
        }

        if (model is not null && !options.AllowedModels.Contains(model, StringComparer.Ordinal))
        {
            throw Invalid("model", options.AllowedModels.Count == 0
                ? "This server does not let a session choose its model; leave model out."
                : $"The model '{model}' is not allowed here; use one of: {string.Join(", ", options.AllowedModels)}.");
        }

        return (artifactId, model, string.IsNullOrEmpty(threadId) ? null : threadId);
    }

    /// <summary>A turn: <c>{ "text": "...", "effort"?: "...", "outputSchema"?: {...}, "attachments"?: [{ "type": "imageUrl", "url": "data:..." }] }</c>.</summary>
    public static CodexPrompt Turn(JsonElement body, WebAdapterOptions options)
    {
        RequireObject(body, "turn");
        RequireText(body, "$", Invalid);
        string? text = null, effort = null;
        JsonElement? schema = null;
        var images = new List<string>();
        foreach (var member in body.EnumerateObject())
        {
            switch (member.Name)
            {
                case "text":
                    text = String(member);
                    break;
                case "effort":
                    effort = String(member);
                    if (effort is not null && !options.AllowedEfforts.Contains(effort, StringComparer.Ordinal))
                    {
                        throw Invalid("effort", $"The effort '{effort}' is not allowed here; use one of: {string.Join(", ", options.AllowedEfforts)}.");
                    }

                    break;
                case "outputSchema":
                    if (member.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
                    {
                        throw Invalid("outputSchema", "outputSchema must be a JSON schema object.");
                    }

                    schema = member.Value.ValueKind == JsonValueKind.Object ? member.Value.Clone() : null;
                    break;
                case "attachments":
                    images.AddRange(Images(member, options));
                    break;
                default:
                    throw Invalid(member.Name, ServerOnly.Contains(member.Name, StringComparer.Ordinal)
                        ? $"'{member.Name}' cannot be set by a client: the thread, cwd, sandbox, approval policy and model come from the server and the session."
                        : $"'{member.Name}' is not a member of a turn; send text, and optionally effort, outputSchema{(options.AllowImageAttachments ? " and attachments" : string.Empty)}.");
            }
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            throw Invalid("text", "text is required: what to ask, as a non-empty string.");
        }

        if (Encoding.UTF8.GetByteCount(text) > options.MaxPromptBytes)
        {
            throw new CodexWebException(CodexWebErrorKind.PromptTooLarge, $"The prompt is {Encoding.UTF8.GetByteCount(text):N0} bytes; this server takes at most {options.MaxPromptBytes:N0}.", "text");
        }

        var prompt = new CodexPrompt(text) { OutputSchema = schema, Effort = effort };
        foreach (var url in images)
        {
            prompt.Attachments.Add(CodexAttachment.ImageUrl(url));
        }

        return prompt;
    }

    /// <summary>
    /// An approval answer: exactly one of <c>{ "decision": "accept" | "acceptForSession" | "decline" | "cancel" }</c>,
    /// <c>{ "result": {...} }</c> (the kind's response type) or <c>{ "error": { "message": "..." } }</c>.
    /// </summary>
    public static WebApprovalAnswer ApprovalAnswer(JsonElement body)
    {
        RequireObject(body, "approval answer");
        RequireText(body, "$", AnswerInvalid);
        string? decision = null, error = null;
        JsonElement? result = null;
        var members = 0;
        foreach (var member in body.EnumerateObject())
        {
            members++;
            switch (member.Name)
            {
                case "decision" when member.Value.ValueKind == JsonValueKind.String:
                    decision = member.Value.GetString();
                    break;
                case "result" when member.Value.ValueKind == JsonValueKind.Object:
                    result = member.Value.Clone();
                    break;
                case "error" when member.Value.ValueKind == JsonValueKind.Object
                    && member.Value.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String
                    && !string.IsNullOrWhiteSpace(message.GetString()) && member.Value.EnumerateObject().Count() == 1:
                    error = message.GetString();
                    break;
                case "decision" or "result" or "error":
                    throw AnswerInvalid(member.Name, $"'{member.Name}' has the wrong shape: decision is a string, result an object, error {{ \"message\": \"...\" }}.");
                default:
                    throw AnswerInvalid(member.Name, $"'{member.Name}' is not a member of an approval answer; send decision, result or error.");
            }
        }

        if (members != 1)
        {
            throw AnswerInvalid("$", "Send exactly one of decision (accept, acceptForSession, decline, cancel), result or error.");
        }

        return new WebApprovalAnswer(decision, result, error);
    }

    private static IEnumerable<string> Images(JsonProperty member, WebAdapterOptions options)
    {
        if (!options.AllowImageAttachments)
        {
            throw Invalid("attachments", "This server takes no attachments; send text only.");
        }

        if (member.Value.ValueKind != JsonValueKind.Array)
        {
            throw Invalid("attachments", "attachments must be an array of { \"type\": \"imageUrl\", \"url\": \"data:image/...\" }.");
        }

        foreach (var item in member.Value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object
                || !item.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "imageUrl"
                || !item.TryGetProperty("url", out var url) || url.ValueKind != JsonValueKind.String
                || !url.GetString()!.StartsWith("data:image/", StringComparison.Ordinal)
                || item.EnumerateObject().Any(p => p.Name is not ("type" or "url")))
            {
                throw Invalid("attachments", "Each attachment must be exactly { \"type\": \"imageUrl\", \"url\": \"data:image/...\" } (only data URLs of images).");
            }

            yield return url.GetString()!;
        }
    }

    private static void RequireObject(JsonElement body, string what)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw Invalid("$", $"The {what} body must be a JSON object.");
        }
    }

    /// <summary>
    /// Every member name and string in <paramref name="element"/> must be text: JSON lets a string hold invalid UTF-8
    /// bytes or an escaped lone surrogate (<c>"\ud800"</c>), which .NET cannot turn into a string (and codex would
    /// refuse). Checked once over the whole body before any member is read, so a bad one is a 400 naming its path
    /// (<c>attachments[0].url</c>, <c>error.message</c>) wherever it is, schemas and results included.
    /// </summary>
    internal static void RequireText(JsonElement element, string path, Func<string, string, CodexWebException> refuse)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String when !IsText(element):
                throw refuse(path, $"'{path}' is not valid text: it holds invalid UTF-8 or an unpaired surrogate (\\ud800-\\udfff). Send well-formed UTF-8 text.");
            case JsonValueKind.Object:
                foreach (var member in element.EnumerateObject())
                {
                    if (!IsText(member))
                    {
                        throw refuse(path, $"A member name in '{path}' is not valid text: it holds invalid UTF-8 or an unpaired surrogate. Send well-formed UTF-8 names.");
                    }

                    RequireText(member.Value, path == "$" ? member.Name : $"{path}.{member.Name}", refuse);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    RequireText(item, $"{path}[{index++}]", refuse);
                }

                break;
        }
    }

    private static bool IsText(JsonElement element)
    {
        try
        {
            _ = element.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false; // invalid UTF-8 or a lone surrogate: GetString cannot transcode it
        }
    }

    private static bool IsText(JsonProperty member)
    {
        try
        {
            _ = member.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string? String(JsonProperty member) => member.Value.ValueKind switch
    {
        JsonValueKind.String => member.Value.GetString(),
        JsonValueKind.Null => null,
        _ => throw Invalid(member.Name, $"'{member.Name}' must be a string."),
    };

    private static CodexWebException Invalid(string member, string message) => new(CodexWebErrorKind.InvalidRequest, message, member);

    private static CodexWebException AnswerInvalid(string member, string message) => new(CodexWebErrorKind.InvalidApprovalAnswer, message, member);
}
