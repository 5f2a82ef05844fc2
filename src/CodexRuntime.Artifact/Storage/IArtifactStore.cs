namespace CodexRuntime.Artifact.Storage;

/// <summary>
/// Where artifacts live: text and meta per artifact id, saved by compare-and-swap on the revision, with the last few
/// revisions kept. Implementations must be safe to use from several threads (and, for shared storage, processes).
/// </summary>
public interface IArtifactStore
{
    /// <summary>Reads an artifact.</summary>
    /// <param name="artifactId">The artifact id (any non-empty string that is valid Unicode: no unpaired surrogate).</param>
    /// <param name="cancellationToken">Abandons the call.</param>
    /// <returns>The artifact, or null when nothing was ever saved for the id. Its meta's revision is always its text's.</returns>
    Task<ArtifactRecord?> LoadAsync(string artifactId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Saves an artifact if the stored revision is still <see cref="ArtifactSave.ExpectedRevision"/> (null: nothing is
    /// stored yet); otherwise throws a <see cref="ArtifactErrorKind.Conflict"/> <see cref="ArtifactException"/> and writes nothing.
    /// </summary>
    /// <param name="artifactId">The artifact id.</param>
    /// <param name="save">The new text and meta, and the revision they replace.</param>
    /// <param name="cancellationToken">Abandons waiting for the store; a save that started writing completes.</param>
    /// <returns>The saved artifact (new revision, sequence one higher).</returns>
    Task<ArtifactRecord> SaveAsync(string artifactId, ArtifactSave save, CancellationToken cancellationToken = default);

    /// <summary>The kept revisions of an artifact, newest (the current one) first.</summary>
    /// <param name="artifactId">The artifact id.</param>
    /// <param name="cancellationToken">Abandons the call.</param>
    /// <returns>The meta of each kept revision; empty when the artifact does not exist.</returns>
    Task<IReadOnlyList<ArtifactMeta>> ListRevisionsAsync(string artifactId, CancellationToken cancellationToken = default);

    /// <summary>Reads a kept revision of an artifact (the newest save that had it).</summary>
    /// <param name="artifactId">The artifact id.</param>
    /// <param name="revision">The revision.</param>
    /// <param name="cancellationToken">Abandons the call.</param>
    /// <returns>The artifact as it was at that revision, or null when the revision is not kept.</returns>
    Task<ArtifactRecord?> LoadRevisionAsync(string artifactId, string revision, CancellationToken cancellationToken = default);
}
