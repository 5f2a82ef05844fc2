using System.Text.Json.Serialization;

namespace CodexRuntime.Artifact.Diffing;

/// <summary>What a <see cref="LineDiffRun"/> does to its lines.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LineDiffKind>))]
public enum LineDiffKind
{
    /// <summary>The lines are in both texts.</summary>
    Equal,

    /// <summary>The lines are only in the old text.</summary>
    Delete,

    /// <summary>The lines are only in the new text.</summary>
    Insert,
}
