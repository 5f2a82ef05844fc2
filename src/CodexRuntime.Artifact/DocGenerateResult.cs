namespace CodexRuntime.Artifact;

/// <summary>A DocGenerate task's outcome: the generated document, saved.</summary>
/// <param name="ArtifactId">The artifact.</param>
/// <param name="ThreadId">The codex thread.</param>
/// <param name="TurnId">The codex turn.</param>
/// <param name="Title">The title the model gave.</param>
/// <param name="Format">The format the model gave.</param>
/// <param name="Revision">The saved revision.</param>
/// <param name="PreviousRevision">The revision it replaced; null when the artifact had no text saved before.</param>
/// <param name="Text">The saved text.</param>
public sealed record DocGenerateResult(string ArtifactId, string ThreadId, string TurnId, string Title, string Format, string Revision, string? PreviousRevision, string Text)
    : ArtifactTaskResult(ArtifactId, ThreadId, TurnId);
