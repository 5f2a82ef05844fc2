using CodexRuntime.Protocol;
using CodexRuntime.State;

namespace CodexRuntime;

/// <summary>What one run (one turn) produced.</summary>
/// <param name="ThreadId">The thread.</param>
/// <param name="TurnId">The turn.</param>
/// <param name="Status">How the turn ended: completed, interrupted or failed (in progress only in partial results).</param>
/// <param name="Text">The assistant's text: its messages, in order, joined by blank lines.</param>
/// <param name="Items">Every item of the turn (messages, commands, file changes, reasoning, ...) as codex last reported it.</param>
/// <param name="Usage">Token usage codex reported for the turn, if any.</param>
/// <param name="Diff">The turn's final aggregated diff, when it changed files.</param>
/// <param name="Error">codex's error when the turn failed.</param>
/// <param name="Duration">From the turn's start to its end, as this process saw it.</param>
public sealed record PromptRunResult(
    string ThreadId,
    string TurnId,
    TurnStatus Status,
    string Text,
    IReadOnlyList<ThreadItem> Items,
    ThreadTokenUsage? Usage,
    string? Diff,
    TurnError? Error,
    TimeSpan Duration)
{
    /// <summary>Every interceptor (hook) call of this run, in order: the run's own report, never another run's.</summary>
    public IReadOnlyList<CodexInterceptionRecord> Interceptions { get; init; } = [];

    /// <summary>Builds the result from the runtime's snapshot of the turn.</summary>
    internal static PromptRunResult FromSnapshot(CodexTurnSnapshot turn)
    {
        var items = turn.Items.Where(i => i.Item is not null).Select(i => i.Item!).ToArray();
        var end = turn.CompletedAt ?? turn.StartedAt;
        return new PromptRunResult(turn.ThreadId, turn.Id, turn.Status, AssistantText(turn), items, turn.TokenUsage,
            turn.Diff.Value.Length == 0 ? null : turn.Diff.Value, turn.Error, end - turn.StartedAt);
    }

    /// <summary>Text from the streamed deltas; where the state kept only a prefix, the completed item's full text.</summary>
    private static string AssistantText(CodexTurnSnapshot turn)
    {
        var parts = new List<string>();
        foreach (var item in turn.Items)
        {
            if (item.Type != "agentMessage")
            {
                continue;
            }

            var text = item.Text.IsTruncated || item.Text.Value.Length == 0
                ? (item.Item as AgentMessageThreadItem)?.Text ?? item.Text.Value
                : item.Text.Value;
            if (text.Length > 0)
            {
                parts.Add(text);
            }
        }

        return string.Join("\n\n", parts);
    }
}
