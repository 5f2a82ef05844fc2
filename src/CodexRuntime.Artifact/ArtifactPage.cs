namespace CodexRuntime.Artifact;

/// <summary>One page of a store listing, in ordinal order of the artifact id.</summary>
/// <param name="Items">The artifacts of this page (at most the page size asked for; may be empty).</param>
/// <param name="ContinuationToken">
/// Pass it to the next <see cref="IArtifactStore.ListAsync"/> for the following page; null when this page is
/// the last. Opaque: it names the last id of this page, so artifacts added or removed meanwhile never make a later
/// page skip or repeat an artifact that was there all along.
/// </param>
public sealed record ArtifactPage(IReadOnlyList<ArtifactEntry> Items, string? ContinuationToken);
