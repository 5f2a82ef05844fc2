using CodexRuntime.Artifact.Patching;

namespace CodexRuntime.Artifact;

/// <summary>An artifact operation failed; <see cref="Kind"/> says why. Messages name ids and revisions, never document text.</summary>
public sealed class ArtifactException : CodexException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">Why.</param>
    /// <param name="artifactId">The artifact.</param>
    /// <param name="message">What happened and what to do.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public ArtifactException(ArtifactErrorKind kind, string artifactId, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        ArtifactId = artifactId;
    }

    /// <summary>Why the operation failed.</summary>
    public ArtifactErrorKind Kind { get; }

    /// <summary>The artifact.</summary>
    public string ArtifactId { get; }

    /// <summary>For a conflict: the revision the caller (or the model's patch) expected.</summary>
    public string? ExpectedRevision { get; init; }

    /// <summary>For a conflict: the revision actually stored (null when the artifact does not exist).</summary>
    public string? ActualRevision { get; init; }

    /// <summary>For <see cref="ArtifactErrorKind.InvalidPatch"/> and a patch's revision mismatch: the patch error.</summary>
    public DocPatchError PatchError { get; init; }

    internal static ArtifactException Conflict(string artifactId, string? expected, string? actual) =>
        new(ArtifactErrorKind.Conflict, artifactId,
            $"Artifact '{artifactId}' is at revision {actual ?? "(none: it does not exist)"}, not the expected {expected ?? "(none: a new artifact)"}; nothing was written. Load it again and redo the change.")
        {
            ExpectedRevision = expected,
            ActualRevision = actual,
        };

    internal static ArtifactException SequenceConflict(string artifactId, long expected, long actual, string? revision) =>
        new(ArtifactErrorKind.Conflict, artifactId,
            $"Artifact '{artifactId}' is at save {actual} (revision {revision ?? "(none)"}), not the expected save {expected}: someone saved in between (perhaps the same text again, by an undo or redo); nothing was written. Load it again and redo the change.")
        {
            ExpectedRevision = revision,
            ActualRevision = revision,
        };
}
