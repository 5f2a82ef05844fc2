namespace CodexRuntime.Artifact;

/// <summary>
/// What a task produced; the type tells the kind: <see cref="DocGenerateResult"/>, <see cref="DocEditResult"/> or
/// <see cref="PassthroughResult"/>.
/// </summary>
/// <param name="ArtifactId">The artifact.</param>
/// <param name="ThreadId">The codex thread the task ran in.</param>
/// <param name="TurnId">The codex turn.</param>
public abstract record ArtifactTaskResult(string ArtifactId, string ThreadId, string TurnId);
