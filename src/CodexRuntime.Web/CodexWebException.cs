namespace CodexRuntime.Web;

/// <summary>A web adapter call was refused; nothing reached codex unless the message says otherwise.</summary>
public sealed class CodexWebException : CodexException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">Why.</param>
    /// <param name="message">What was wrong and how to fix it.</param>
    /// <param name="member">The request member at fault, for <see cref="CodexWebErrorKind.InvalidRequest"/>.</param>
    /// <param name="retryAfter">When to retry, for <see cref="CodexWebErrorKind.LimitExceeded"/> and <see cref="CodexWebErrorKind.Unavailable"/>.</param>
    public CodexWebException(CodexWebErrorKind kind, string message, string? member = null, TimeSpan? retryAfter = null)
        : base(message)
    {
        Kind = kind;
        Member = member;
        RetryAfter = retryAfter;
    }

    /// <summary>Why the call was refused.</summary>
    public CodexWebErrorKind Kind { get; }

    /// <summary>The request member at fault, when one is.</summary>
    public string? Member { get; }

    /// <summary>Creates the exception for a refusal caused by another exception (kept for the server's log, not shown to the client).</summary>
    /// <param name="kind">Why.</param>
    /// <param name="message">What was wrong and how to fix it, written for the person using the app.</param>
    /// <param name="innerException">The developer-facing cause.</param>
    public CodexWebException(CodexWebErrorKind kind, string message, Exception? innerException)
        : base(message, innerException)
    {
        Kind = kind;
    }

    /// <summary>When to retry, for limits.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>The HTTP status of <see cref="Kind"/>.</summary>
    public int StatusCode => Kind switch
    {
        CodexWebErrorKind.NotFound => 404,
        CodexWebErrorKind.SessionClosing or CodexWebErrorKind.ThreadConflict or CodexWebErrorKind.TurnInProgress => 409,
        CodexWebErrorKind.InvalidRequest or CodexWebErrorKind.InvalidApprovalAnswer => 400,
        CodexWebErrorKind.PromptTooLarge or CodexWebErrorKind.BodyTooLarge => 413,
        CodexWebErrorKind.UnsupportedMediaType => 415,
        CodexWebErrorKind.ForeignOrigin => 403,
        CodexWebErrorKind.Unavailable => 503,
        _ => 429,
    };

    internal static CodexWebException NotFound(string what) =>
        new(CodexWebErrorKind.NotFound, $"There is no {what} with that id for you.");
}
