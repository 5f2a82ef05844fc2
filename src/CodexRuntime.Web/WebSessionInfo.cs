namespace CodexRuntime.Web;

/// <summary>A created web session.</summary>
/// <param name="SessionId">The session's id: 128 random bits, unguessable; it is the only handle a client gets.</param>
/// <param name="ThreadId">The codex thread (new, or the resumed one).</param>
public sealed record WebSessionInfo(string SessionId, string ThreadId);
