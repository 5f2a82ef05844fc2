using CodexRuntime.Protocol;

namespace CodexRuntime.State;

/// <summary>Told by the state projection when a turn starts and ends (the runtime traces turns with it), on the reader, outside the state's lock.</summary>
internal interface ITurnObserver
{
    /// <summary>codex started <paramref name="turnId"/>.</summary>
    void TurnStarted(string threadId, string turnId);

    /// <summary><paramref name="turnId"/> ended with <paramref name="status"/> (failed turns carry <paramref name="error"/>).</summary>
    void TurnEnded(string turnId, TurnStatus status, string? error);
}
