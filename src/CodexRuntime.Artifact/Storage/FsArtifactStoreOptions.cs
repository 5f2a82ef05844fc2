namespace CodexRuntime.Artifact.Storage;

/// <summary>Settings of a <see cref="FsArtifactStore"/>.</summary>
public sealed class FsArtifactStoreOptions
{
    /// <summary>How many revisions are kept per artifact, the current one included; 10.</summary>
    public int KeptRevisions { get; set; } = 10;

    /// <summary>How long a call waits for an artifact's lock (held by this or another process) before it fails; 10 s.</summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The clock for lock waits and save times; the system clock when null.</summary>
    public TimeProvider? TimeProvider { get; set; }
}
