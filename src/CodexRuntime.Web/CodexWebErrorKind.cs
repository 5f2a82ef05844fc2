using System.Text.Json.Serialization;

namespace CodexRuntime.Web;

/// <summary>Why the web adapter refused a call; each maps to one HTTP status (<see cref="CodexWebException.StatusCode"/>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CodexWebErrorKind>))]
public enum CodexWebErrorKind
{
    /// <summary>No such session or approval for this tenant (another tenant's looks the same): 404.</summary>
    NotFound,

    /// <summary>The session is closing or closed: 409.</summary>
    SessionClosing,

    /// <summary>The thread to resume is not one this tenant owns for this artifact, or it is open already: 409.</summary>
    ThreadConflict,

    /// <summary>The request body is not the allowed shape (an unknown or forbidden member, a wrong type, a model or effort not allowed): 400.</summary>
    InvalidRequest,

    /// <summary>The approval answer is not one its kind takes: 400.</summary>
    InvalidApprovalAnswer,

    /// <summary>A turn is already running in the session: 409.</summary>
    TurnInProgress,

    /// <summary>The prompt is over the byte limit: 413.</summary>
    PromptTooLarge,

    /// <summary>Too many sessions for the tenant, or too many turns at once (over all tenants or for the tenant): 429 with Retry-After.</summary>
    LimitExceeded,

    /// <summary>The request body is over the endpoints' cap (1 MiB), whether it said its length or came chunked: 413.</summary>
    BodyTooLarge,

    /// <summary>The request body is not <c>application/json</c> (UTF-8): 415.</summary>
    UnsupportedMediaType,

    /// <summary>A state-changing request came from a web page of another origin (its <c>Origin</c> header): 403.</summary>
    ForeignOrigin,

    /// <summary>
    /// Where the session runs cannot be reached right now (a replica of a scaled-out app stopped or died and the
    /// session is moving to another); try again after <see cref="CodexWebException.RetryAfter"/>: 503.
    /// </summary>
    Unavailable,
}
