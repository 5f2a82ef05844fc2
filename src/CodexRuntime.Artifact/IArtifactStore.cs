namespace CodexRuntime.Artifact;

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

    /// <summary>
    /// One page of the stored artifacts, ordered by id (ordinal). Follow <see cref="ArtifactPage.ContinuationToken"/>
    /// until it is null to see every artifact once: an artifact present for the whole walk is listed exactly once, one
    /// added or deleted meanwhile may or may not be.
    /// </summary>
    /// <param name="pageSize">How many entries a page holds at most: 1 to <see cref="MaxPageSize"/>.</param>
    /// <param name="continuationToken">The previous page's token; null for the first page.</param>
    /// <param name="cancellationToken">Abandons the call.</param>
    /// <returns>The page.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The page size is out of range.</exception>
    /// <exception cref="ArgumentException">The token is not one a listing returned.</exception>
    Task<ArtifactPage> ListAsync(int pageSize = 100, string? continuationToken = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes an artifact with all its kept revisions, under its lock.</summary>
    /// <param name="artifactId">The artifact id.</param>
    /// <param name="cancellationToken">Abandons waiting for the lock; a delete that started completes.</param>
    /// <returns>True when the artifact existed and is now gone; false when there was nothing to delete.</returns>
    Task<bool> DeleteAsync(string artifactId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Gives an artifact another id, keeping its text, meta, revision and kept revisions, under both ids' locks.
    /// </summary>
    /// <param name="artifactId">The artifact's id now.</param>
    /// <param name="newArtifactId">Its new id; must not exist.</param>
    /// <param name="cancellationToken">Abandons waiting for the locks; a rename that started completes.</param>
    /// <returns>The artifact under its new id.</returns>
    /// <exception cref="ArtifactException">
    /// <see cref="ArtifactErrorKind.NotFound"/> (no such artifact), <see cref="ArtifactErrorKind.Conflict"/> (the new id
    /// exists, or is the same id), <see cref="ArtifactErrorKind.InvalidId"/>, <see cref="ArtifactErrorKind.LockTimeout"/>;
    /// nothing was changed.
    /// </exception>
    Task<ArtifactRecord> RenameAsync(string artifactId, string newArtifactId, CancellationToken cancellationToken = default);

    /// <summary>The largest page <see cref="ListAsync"/> returns.</summary>
    public const int MaxPageSize = 1000;
}
