using CodexRuntime.Web;
using Orleans;

namespace CodexRuntime.Orleans;

/// <summary>
/// A <see cref="CodexWebException"/> on its way back from the session's silo: Orleans copies only the base fields of an
/// exception it has no serializer for, and the endpoints need the kind (the status code), member and retry time.
/// </summary>
[GenerateSerializer, Alias("CodexRuntime.Orleans.SessionRefusedException")]
internal sealed class SessionRefusedException : Exception
{
    public SessionRefusedException()
    {
    }

    public SessionRefusedException(string message)
        : base(message)
    {
    }

    public SessionRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SessionRefusedException(CodexWebException refused)
        : base(refused.Message)
    {
        Kind = (int)refused.Kind;
        Member = refused.Member;
        RetryAfter = refused.RetryAfter;
    }

    /// <summary>The <see cref="CodexWebErrorKind"/>, as its number (an enum of the Web package has no Orleans codec).</summary>
    [Id(0)]
    public int Kind { get; private set; }

    [Id(1)]
    public string? Member { get; private set; }

    [Id(2)]
    public TimeSpan? RetryAfter { get; private set; }

    /// <summary>How soon a client should try again a session that cannot be reached now (it is moving).</summary>
    public static readonly TimeSpan RetryUnavailable = TimeSpan.FromSeconds(2);

    /// <summary>The session cannot be reached now (503): <paramref name="message"/> says why, the retry time how soon.</summary>
    public static SessionRefusedException Unavailable(string message) =>
        new(new CodexWebException(CodexWebErrorKind.Unavailable, message, retryAfter: RetryUnavailable));

    /// <summary>Unknown, or another tenant's: the same answer, as the web adapter gives it.</summary>
    public static SessionRefusedException NotFound() =>
        new(new CodexWebException(CodexWebErrorKind.NotFound, "There is no session with that id for you."));

    public CodexWebException ToWeb() => new((CodexWebErrorKind)Kind, Message, Member, RetryAfter);
}
