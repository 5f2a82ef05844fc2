using System.Text.Json;

namespace CodexRuntime;

/// <summary>codex ended the turn as failed (<c>turn.status = failed</c>); its error message and details are attached.</summary>
public sealed class CodexRunFailedException : CodexRunException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="result">The failed turn as the run saw it.</param>
    public CodexRunFailedException(PromptRunResult result)
        : base(Describe(result), result?.ThreadId, result?.TurnId, result)
    {
        ErrorMessage = result?.Error?.Message;
        AdditionalDetails = result?.Error?.AdditionalDetails;
        CodexErrorInfo = result?.Error?.CodexErrorInfo?.ToString();
    }

    /// <summary>codex's own error message for the turn (it describes the failure, e.g. the model provider's HTTP error), if any.</summary>
    public string? ErrorMessage { get; }

    /// <summary>codex's additional details, if any.</summary>
    public string? AdditionalDetails { get; }

    /// <summary>codex's structured error info as JSON, if any.</summary>
    public string? CodexErrorInfo { get; }

    private static string Describe(PromptRunResult? result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var turnError = result.Error;
        var error = turnError?.Message is { Length: > 0 } message ? $": {ProviderText(message)}" : " without an error message";
        var details = turnError?.AdditionalDetails is { Length: > 0 } more ? $" ({more.Trim().TrimEnd('.')})" : string.Empty;
        // For HTTP 5xx codex sends its own generic text and keeps the provider's body to itself.
        var generic = turnError?.CodexErrorInfo is { ValueKind: JsonValueKind.String } info && info.GetString() == "internalServerError"
            ? " codex reports a provider server error (HTTP 5xx) with its own generic text; the provider's message is not passed on, so look in the provider's logs."
            : string.Empty;
        return $"codex failed turn {result.TurnId} of thread {result.ThreadId}{error.TrimEnd().TrimEnd('.')}{details}.{generic} It produced {result.Items.Count} item(s) first (see PartialResult). " +
            "Check the model provider (login, network, quota) and the codex stderr log.";
    }

    /// <summary>
    /// codex forwards a provider's 4xx body as the message (<c>{"error":{"message":...,"type":...,"code":...}}</c>):
    /// the provider's own words, with its type and code, read better than the JSON.
    /// </summary>
    private static string ProviderText(string message)
    {
        if (!message.TrimStart().StartsWith('{'))
        {
            return message;
        }

        try
        {
            using var body = JsonDocument.Parse(message);
            if (body.RootElement.ValueKind == JsonValueKind.Object
                && body.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("message", out var text) && text.ValueKind == JsonValueKind.String)
            {
                var extra = string.Join(", ", new[] { "type", "code" }
                    .Where(name => error.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
                    .Select(name => $"{name} {error.GetProperty(name).GetString()}"));
                return $"the model provider said \"{text.GetString()}\"" + (extra.Length > 0 ? $" ({extra})" : string.Empty);
            }
        }
        catch (JsonException)
        {
            // Not JSON after all: codex's text as it is.
        }

        return message;
    }
}
