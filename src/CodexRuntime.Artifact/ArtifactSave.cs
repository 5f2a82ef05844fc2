namespace CodexRuntime.Artifact;

/// <summary>What <see cref="Storage.IArtifactStore.SaveAsync"/> writes, and the revision it expects to replace.</summary>
/// <param name="ExpectedRevision">The revision the stored text must have (compare-and-swap); null when the artifact must not exist yet.</param>
/// <param name="Text">The new text.</param>
/// <param name="Title">The title.</param>
/// <param name="Format">The format.</param>
/// <param name="RuntimeThreadId">The codex thread of the artifact, if any.</param>
public sealed record ArtifactSave(string? ExpectedRevision, string Text, string Title, string Format, string? RuntimeThreadId);
