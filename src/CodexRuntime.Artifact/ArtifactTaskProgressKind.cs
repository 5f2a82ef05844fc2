using System.Text.Json.Serialization;

namespace CodexRuntime.Artifact;

/// <summary>What an <see cref="ArtifactTaskProgress"/> reports.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ArtifactTaskProgressKind>))]
public enum ArtifactTaskProgressKind
{
    /// <summary>codex started the task's turn (<see cref="ArtifactTaskProgress.TurnId"/> is set from here on).</summary>
    TurnStarted,

    /// <summary>An item of the turn started (<see cref="ArtifactTaskProgress.Item"/>): the answer message, reasoning, ...</summary>
    ItemStarted,

    /// <summary>A piece of the assistant's answer as it streams (<see cref="ArtifactTaskProgress.Delta"/>); in order, they make the answer's text.</summary>
    TextDelta,

    /// <summary>An item of the turn finished (<see cref="ArtifactTaskProgress.Item"/> in its final state).</summary>
    ItemCompleted,

    /// <summary>
    /// Reports were dropped (<see cref="ArtifactTaskProgress.Lost"/> of them) because the reader fell behind the
    /// buffer, or codex dropped events for a slow turn reader. The result is complete anyway.
    /// </summary>
    ReportsLost,
}
