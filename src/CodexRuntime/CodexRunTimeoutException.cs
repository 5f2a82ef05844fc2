
namespace CodexRuntime;

/// <summary>A run did not finish within its profile's timeout; the turn was interrupted (best effort) before this was thrown.</summary>
public sealed class CodexRunTimeoutException : CodexRunException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="threadId">The thread.</param>
    /// <param name="turnId">The turn.</param>
    /// <param name="timeout">The run timeout that passed.</param>
    /// <param name="interrupted">Whether codex confirmed the interrupt (the turn ended as interrupted).</param>
    /// <param name="partialResult">What the turn produced, when it ended.</param>
    public CodexRunTimeoutException(string threadId, string turnId, TimeSpan timeout, bool interrupted, PromptRunResult? partialResult = null)
        : base($"Turn {turnId} of thread {threadId} did not finish within the run timeout of {timeout.TotalSeconds:0.###} s and " +
            (interrupted ? "was interrupted." : "was asked to stop, but codex did not confirm the interrupt in time.") +
            " Raise RunProfile.Timeout for longer tasks.", threadId, turnId, partialResult)
    {
        Timeout = timeout;
        Interrupted = interrupted;
    }

    /// <summary>The run timeout that passed.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Whether codex confirmed the interrupt (the turn ended as interrupted).</summary>
    public bool Interrupted { get; }
}
