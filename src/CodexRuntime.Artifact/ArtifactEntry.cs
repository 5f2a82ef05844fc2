namespace CodexRuntime.Artifact;

/// <summary>One artifact as a store listing shows it (<see cref="IArtifactStore.ListAsync"/>): what a picker or index page needs, without the text.</summary>
/// <param name="ArtifactId">The artifact's id, as saved (read from the stored meta, not derived from a folder name).</param>
/// <param name="Title">The title.</param>
/// <param name="Format">The document format.</param>
/// <param name="Revision">The current revision (the text's).</param>
/// <param name="UpdatedAt">When the current revision was saved.</param>
public sealed record ArtifactEntry(string ArtifactId, string Title, string Format, string Revision, DateTimeOffset UpdatedAt)
{
    /// <summary>How many saves led to the current revision.</summary>
    public long Sequence { get; init; }
}
