using CodexRuntime.Protocol;

namespace CodexRuntime.State;

/// <summary>What the projection keeps of one turn: status, items, usage and a bounded diff (mutable, under the projection's lock).</summary>
internal sealed class TurnTrack(string id, string threadId, DateTimeOffset startedAt, int maxDiffBytes)
{
    public string Id { get; } = id;

    public string ThreadId { get; } = threadId;

    public TurnStatus Status { get; set; } = TurnStatus.InProgress;

    public TurnError? Error { get; set; }

    public DateTimeOffset StartedAt { get; } = startedAt;

    public DateTimeOffset? CompletedAt { get; set; }

    public List<ItemTrack> Items { get; } = [];

    public ThreadTokenUsage? TokenUsage { get; set; }

    public Utf8TextAccumulator Diff { get; } = new(maxDiffBytes);

    public TurnError? LastRetry { get; set; }

    public int Retries { get; set; }

    /// <summary>An immutable copy for callers outside the lock.</summary>
    public CodexTurnSnapshot ToSnapshot() =>
        new(Id, ThreadId, Status, Error, StartedAt, CompletedAt,
            Items.Select(i => new CodexItemSnapshot(i.Id, i.Type, i.Completed, i.Text.Snapshot(), i.Output.Snapshot(), i.Item)).ToArray(),
            TokenUsage, Diff.Snapshot(), LastRetry, Retries);
}
