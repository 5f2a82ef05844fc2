namespace CodexRuntime.Artifact;

/// <summary>An open artifact: its id, its codex thread, and how the thread was found.</summary>
/// <param name="ArtifactId">The artifact.</param>
/// <param name="ThreadId">The codex thread that works on it (stored in the artifact's meta).</param>
/// <param name="Resumed">True when the stored thread was resumed (<c>thread/resume</c>), false when a new one was started.</param>
/// <param name="PreviousThreadId">
/// When the stored thread was gone from codex (another CODEX_HOME, archived) and a new one was started: the stored
/// one's id. The document is kept; the conversation starts over.
/// </param>
public sealed record ArtifactSession(string ArtifactId, string ThreadId, bool Resumed, string? PreviousThreadId);
