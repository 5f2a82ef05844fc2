using System.Text.Json.Serialization;

namespace CodexRuntime.Artifact;

/// <summary>How a revision came to be (<see cref="ArtifactMeta.Change"/>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ArtifactChange>))]
public enum ArtifactChange
{
    /// <summary>An ordinary save (a task's result, a caller's save): it drops the redo path.</summary>
    Save,

    /// <summary>An undo: the text of an earlier revision saved again (<see cref="ArtifactMeta.RestoredSequence"/>).</summary>
    Undo,

    /// <summary>A redo: the text an undo left saved again (<see cref="ArtifactMeta.RestoredSequence"/>).</summary>
    Redo,
}
