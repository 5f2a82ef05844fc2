using CodexRuntime.Protocol;

namespace CodexRuntime.State;

/// <summary>What the projection keeps of one item: its bounded text and output (mutable, under the projection's lock).</summary>
internal sealed class ItemTrack(string turnId, string id, int maxBytes)
{
    public string TurnId { get; } = turnId;

    public string Id { get; } = id;

    public string? Type { get; set; }

    public bool Completed { get; set; }

    public ThreadItem? Item { get; set; }

    public Utf8TextAccumulator Text { get; } = new(maxBytes);

    public Utf8TextAccumulator Output { get; } = new(maxBytes);
}
