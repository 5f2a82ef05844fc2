using System.Text.Json.Serialization;

namespace CodexRuntime.Artifact;

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

    /// <summary><c>undo</c> or <c>redo</c>; absent for an ordinary save.</summary>
    [JsonPropertyName("change")]
    public string? Change { get; init; }

    [JsonPropertyName("restoredSequence")]
    public long? RestoredSequence { get; init; }

    /// <summary>Absent in metas written before undo/redo were multi-level: then the save before (every save was ordinary).</summary>
    [JsonPropertyName("undoSequence")]
    public long? UndoSequence { get; init; }

    [JsonPropertyName("redoSequence")]
    public long? RedoSequence { get; init; }

    public ArtifactMeta ToMeta(string revision) =>
        new(Title, Format, revision, RuntimeThreadId)
        {
            Sequence = Sequence,
            PreviousRevision = PreviousRevision,
            SavedAt = SavedAt,
            Change = Change switch { UndoChange => ArtifactChange.Undo, RedoChange => ArtifactChange.Redo, _ => ArtifactChange.Save },
            RestoredSequence = RestoredSequence ?? 0,
            UndoSequence = UndoSequence ?? Math.Max(0, Sequence - 1),
            RedoSequence = RedoSequence ?? 0,
        };

    /// <summary>The stored form of an <see cref="ArtifactChange"/>: null for an ordinary save.</summary>
    public static string? ChangeName(ArtifactChange change) => change switch
    {
        ArtifactChange.Undo => UndoChange,
        ArtifactChange.Redo => RedoChange,
        _ => null,
    };

    private const string UndoChange = "undo";
    private const string RedoChange = "redo";
}
