using System.Text.Json;

namespace CodexRuntime.Artifact;

/// <summary>A Passthrough task's outcome: the model's answer, nothing saved.</summary>
/// <param name="ArtifactId">The artifact.</param>
/// <param name="ThreadId">The codex thread.</param>
/// <param name="TurnId">The codex turn.</param>
/// <param name="Output">The answer as JSON (the structured output, the text parsed as JSON, or its first fenced JSON block); null when the answer holds no JSON.</param>
/// <param name="Text">The assistant's text as codex reported it.</param>
public sealed record PassthroughResult(string ArtifactId, string ThreadId, string TurnId, JsonElement? Output, string Text)
    : ArtifactTaskResult(ArtifactId, ThreadId, TurnId);
