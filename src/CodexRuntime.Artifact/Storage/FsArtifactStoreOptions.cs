namespace CodexRuntime.Artifact.Storage;

/// <summary>Settings of a <see cref="FsArtifactStore"/>.</summary>
public sealed class FsArtifactStoreOptions
{
    /// <summary>
    /// How many revisions are kept per artifact, the current one included; 10. When more exist, a save keeps the ones
    /// undo and redo reach from the current revision first (alternately, nearest first), then the newest others.
    /// </summary>
    public int KeptRevisions { get; set; } = 10;

    /// <summary>
    /// How old a kept revision may get: each save removes the revisions saved longer ago than this (never the current
    /// one); null (the default) keeps them by count only. Undo and redo cannot reach a removed revision.
    /// </summary>
    public TimeSpan? MaxRevisionAge { get; set; }

    /// <summary>How long a call waits for an artifact's lock (held by this or another process) before it fails; 10 s.</summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The clock for lock waits, save times and revision ages; the system clock when null.</summary>
    public TimeProvider? TimeProvider { get; set; }
}
