using CodexRuntime.Artifact.Patching;

namespace CodexRuntime.Artifact;

/// <summary>A DocEdit task's outcome: the model's patch, applied and saved.</summary>
/// <param name="ArtifactId">The artifact.</param>
/// <param name="ThreadId">The codex thread.</param>
/// <param name="TurnId">The codex turn.</param>
/// <param name="Format">The artifact's format after the edit: the patch's (the stored one when the patch's is blank).</param>
/// <param name="Revision">The saved revision.</param>
/// <param name="PreviousRevision">The revision the patch was made against (and replaced).</param>
/// <param name="Text">The saved text.</param>
/// <param name="Patch">The model's patch.</param>
public sealed record DocEditResult(string ArtifactId, string ThreadId, string TurnId, string Format, string Revision, string PreviousRevision, string Text, DocPatch Patch)
    : ArtifactTaskResult(ArtifactId, ThreadId, TurnId)
{
    /// <summary>The model's notes on the change, if any.</summary>
    public string? Notes => Patch.Notes;
}
