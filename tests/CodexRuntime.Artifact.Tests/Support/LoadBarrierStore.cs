namespace CodexRuntime.Artifact.Tests.Support;

/// <summary>
/// A store that holds every <see cref="LoadAsync"/> until <paramref name="callers"/> loads have read the artifact, so
/// that many callers deterministically start from the same revision (a race made certain, not hoped for).
/// </summary>
internal sealed class LoadBarrierStore(IArtifactStore inner, int callers, TimeSpan deadline) : IArtifactStore
{
    private readonly TaskCompletionSource _allLoaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _loads;

    public async Task<ArtifactRecord?> LoadAsync(string artifactId, CancellationToken cancellationToken = default)
    {
        var record = await inner.LoadAsync(artifactId, cancellationToken);
        if (Interlocked.Increment(ref _loads) >= callers)
        {
            _allLoaded.TrySetResult();
        }

        await _allLoaded.Task.WaitAsync(deadline, cancellationToken);
        return record;
    }

    public Task<ArtifactRecord> SaveAsync(string artifactId, ArtifactSave save, CancellationToken cancellationToken = default) => inner.SaveAsync(artifactId, save, cancellationToken);

    public Task<IReadOnlyList<ArtifactMeta>> ListRevisionsAsync(string artifactId, CancellationToken cancellationToken = default) => inner.ListRevisionsAsync(artifactId, cancellationToken);

    public Task<ArtifactRecord?> LoadRevisionAsync(string artifactId, string revision, CancellationToken cancellationToken = default) => inner.LoadRevisionAsync(artifactId, revision, cancellationToken);

    public Task<ArtifactPage> ListAsync(int pageSize = 100, string? continuationToken = null, CancellationToken cancellationToken = default) => inner.ListAsync(pageSize, continuationToken, cancellationToken);

    public Task<bool> DeleteAsync(string artifactId, CancellationToken cancellationToken = default) => inner.DeleteAsync(artifactId, cancellationToken);

    public Task<ArtifactRecord> RenameAsync(string artifactId, string newArtifactId, CancellationToken cancellationToken = default) => inner.RenameAsync(artifactId, newArtifactId, cancellationToken);
}
