using CodexRuntime.Protocol;

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
    /// <param name="lastRetry">The error codex was retrying after when the time ran out (e.g. an unreachable model provider), if it was.</param>
    public CodexRunTimeoutException(string threadId, string turnId, TimeSpan timeout, bool interrupted, PromptRunResult? partialResult = null, TurnError? lastRetry = null)
        : base(Describe(threadId, turnId, timeout, interrupted, lastRetry), threadId, turnId, partialResult)
    {
        Timeout = timeout;
        Interrupted = interrupted;
        LastRetry = lastRetry;
    }

    /// <summary>
    /// The error codex was retrying after when the time ran out (an <c>error</c> notification with <c>willRetry</c>):
    /// then the run did not fail for lack of time but because codex could not reach or use the model provider.
    /// </summary>
    public TurnError? LastRetry { get; }

    /// <summary>The run timeout that passed.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Whether codex confirmed the interrupt (the turn ended as interrupted).</summary>
    public bool Interrupted { get; }

    private static string Describe(string threadId, string turnId, TimeSpan timeout, bool interrupted, TurnError? lastRetry)
    {
        var stopped = interrupted ? "was interrupted" : "was asked to stop, but codex did not confirm the interrupt in time";
        if (lastRetry is null)
        {
            return $"Turn {turnId} of thread {threadId} did not finish within the run timeout of {timeout.TotalSeconds:0.###} s and {stopped}. Raise RunProfile.Timeout for longer tasks.";
        }

        var details = string.IsNullOrWhiteSpace(lastRetry.AdditionalDetails) ? string.Empty : $" ({lastRetry.AdditionalDetails.Trim().TrimEnd('.')})";
        return $"Turn {turnId} of thread {threadId} did not finish within the run timeout of {timeout.TotalSeconds:0.###} s and {stopped}; " +
            $"codex was still retrying after an error: \"{lastRetry.Message.Trim().TrimEnd('.')}\"{details}. " +
            "The model provider looks unreachable or failing, so a longer timeout will not help: check the provider's base_url, the network and the credentials (codex's config.toml, or your codex login).";
    }
}
