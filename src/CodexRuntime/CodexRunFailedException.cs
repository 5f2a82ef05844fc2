
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
        var error = result.Error?.Message is { Length: > 0 } message ? $": {message}" : " without an error message";
        return $"codex failed turn {result.TurnId} of thread {result.ThreadId}{error}. It produced {result.Items.Count} item(s) first (see PartialResult). " +
            "Check the model provider (login, network, quota) and the codex stderr log.";
    }
}
