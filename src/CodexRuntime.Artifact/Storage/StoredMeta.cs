using System.Text.Json.Serialization;

namespace CodexRuntime.Artifact.Storage;

/// <summary>The meta file of an artifact folder (and of each kept revision), as JSON.</summary>
internal sealed class StoredMeta
{
    [JsonPropertyName("artifactId")]
    public required string ArtifactId { get; init; }

    [JsonPropertyName("title")]
    public required string Title { get; init; }

    [JsonPropertyName("format")]
    public required string Format { get; init; }

    [JsonPropertyName("revision")]
    public required string Revision { get; init; }

    [JsonPropertyName("runtimeThreadId")]
    public string? RuntimeThreadId { get; init; }

    [JsonPropertyName("sequence")]
    public long Sequence { get; init; }

    [JsonPropertyName("previousRevision")]
    public string? PreviousRevision { get; init; }

    [JsonPropertyName("savedAt")]
    public DateTimeOffset SavedAt { get; init; }

    public ArtifactMeta ToMeta(string revision) =>
        new(Title, Format, revision, RuntimeThreadId) { Sequence = Sequence, PreviousRevision = PreviousRevision, SavedAt = SavedAt };
}
