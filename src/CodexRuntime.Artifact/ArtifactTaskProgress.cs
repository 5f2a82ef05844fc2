namespace CodexRuntime.Artifact;

/// <summary>
/// One step of a running task, for a UI: the turn started, an item started or completed, a piece of the answer's text,
/// or reports lost. Read them from <see cref="ArtifactTaskRun.Progress"/>.
/// </summary>
/// <param name="ArtifactId">The artifact the task works on.</param>
/// <param name="Kind">What happened.</param>
/// <param name="TurnId">The task's turn (null only before codex started it).</param>
public sealed record ArtifactTaskProgress(string ArtifactId, ArtifactTaskProgressKind Kind, string? TurnId)
{
    /// <summary>The new text of a <see cref="ArtifactTaskProgressKind.TextDelta"/>; null otherwise.</summary>
    public string? Delta { get; init; }

    /// <summary>The id of the message a delta belongs to, or of an item that started or completed when it has one (messages, commands, plans); null otherwise.</summary>
    public string? ItemId { get; init; }

    /// <summary>The item of <see cref="ArtifactTaskProgressKind.ItemStarted"/> / <see cref="ArtifactTaskProgressKind.ItemCompleted"/> (switch on its type, e.g. <see cref="CodexRuntime.Protocol.AgentMessageThreadItem"/>); null otherwise.</summary>
    public CodexRuntime.Protocol.ThreadItem? Item { get; init; }

    /// <summary>How many reports were dropped, for <see cref="ArtifactTaskProgressKind.ReportsLost"/>; 0 otherwise.</summary>
    public long Lost { get; init; }
}
