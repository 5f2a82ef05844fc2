using CodexRuntime.Protocol;

namespace CodexRuntime.State;

/// <summary>What the projection keeps of one thread (mutable, under the projection's lock).</summary>
internal sealed class ThreadTrack(string id)
{
    public string Id { get; } = id;

    public string? Name { get; set; }

    public ThreadStatus? Status { get; set; }

    public bool Archived { get; set; }

    public bool Closed { get; set; }

    public CodexThread? Thread { get; set; }

    public List<TurnTrack> Turns { get; } = [];

    public int ForgottenTurns { get; set; }

    public long LastActivity { get; set; }
}
