using CodexRuntime.Protocol;

namespace CodexRuntime.State;

/// <summary>One turn at the moment of a snapshot.</summary>
/// <param name="Id">The turn id.</param>
/// <param name="ThreadId">The thread it belongs to.</param>
/// <param name="Status">In progress, completed, interrupted or failed (as codex reported it).</param>
/// <param name="Error">Why it failed, when it did.</param>
/// <param name="StartedAt">When this runtime saw it start.</param>
/// <param name="CompletedAt">When this runtime saw it end; null while it runs.</param>
/// <param name="Items">Its items in the order they started.</param>
/// <param name="TokenUsage">The latest token usage codex reported for it.</param>
/// <param name="Diff">The latest aggregated diff codex reported for it (bounded by <see cref="CodexStateOptions.MaxDiffBytes"/>).</param>
/// <param name="LastRetry">The last error codex said it retries after (an <c>error</c> notification with <c>willRetry</c>), e.g. an unreachable model provider; null when it never retried.</param>
/// <param name="Retries">How many such retry notices codex sent for the turn.</param>
public sealed record CodexTurnSnapshot(
    string Id,
    string ThreadId,
    TurnStatus Status,
    TurnError? Error,
    DateTimeOffset StartedAt,
    DateTimeOffset? CompletedAt,
    IReadOnlyList<CodexItemSnapshot> Items,
    ThreadTokenUsage? TokenUsage,
    CodexBoundedText Diff,
    TurnError? LastRetry = null,
    int Retries = 0)
{
    /// <summary>True once the turn ended (completed, interrupted or failed).</summary>
    public bool IsCompleted => CompletedAt is not null;

    /// <summary>The text of the turn's agent messages, in order, joined by blank lines.</summary>
    public string AgentText => string.Join("\n\n", Items.Where(i => i.Type == "agentMessage" && i.Text.Value.Length > 0).Select(i => i.Text.Value));
}
