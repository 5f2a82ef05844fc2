namespace CodexRuntime.State;

/// <summary>
/// Bounds of the runtime's state projection (<see cref="CodexRuntimeState"/>). Every limit exists so that a long-lived
/// runtime keeps a bounded amount of memory however much codex streams.
/// </summary>
public sealed class CodexStateOptions
{
    /// <summary>Keep the projection at all (on by default). Off, snapshots list no threads and notifications cost nothing extra.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Most bytes of UTF-8 text kept per item for its text (agent message, reasoning, plan) and, separately, for its
    /// output (command or file-change output). Longer text keeps its beginning, cut on a UTF-8 character boundary, and is
    /// marked <see cref="CodexBoundedText.IsTruncated"/>. 1 MiB by default.
    /// </summary>
    public int MaxItemTextBytes { get; set; } = 1024 * 1024;

    /// <summary>Most bytes kept of a turn's latest diff (<c>turn/diff/updated</c>). 1 MiB by default.</summary>
    public int MaxDiffBytes { get; set; } = 1024 * 1024;

    /// <summary>Most turns kept per thread; the oldest completed turns are forgotten first. 32 by default.</summary>
    public int MaxTurnsPerThread { get; set; } = 32;

    /// <summary>Most threads kept; the least recently active thread without a running turn is forgotten first. 256 by default.</summary>
    public int MaxThreads { get; set; } = 256;

    internal IEnumerable<string> Validate()
    {
        if (MaxItemTextBytes < 0)
        {
            yield return $"State.MaxItemTextBytes is {MaxItemTextBytes}; use 0 (keep no text) or more.";
        }

        if (MaxDiffBytes < 0)
        {
            yield return $"State.MaxDiffBytes is {MaxDiffBytes}; use 0 (keep no diff) or more.";
        }

        if (MaxTurnsPerThread < 1)
        {
            yield return $"State.MaxTurnsPerThread is {MaxTurnsPerThread}; use 1 or more.";
        }

        if (MaxThreads < 1)
        {
            yield return $"State.MaxThreads is {MaxThreads}; use 1 or more.";
        }
    }
}
