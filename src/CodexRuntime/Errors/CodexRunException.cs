
namespace CodexRuntime;

/// <summary>
/// Base type of the errors a run (one prompt, one turn) ends with: failed, interrupted, empty answer, run timeout,
/// attachment not found. Carries the thread and turn when they exist and whatever partial result there was.
/// </summary>
public class CodexRunException : CodexException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong and how to fix it.</param>
    /// <param name="threadId">The thread, when one was started.</param>
    /// <param name="turnId">The turn, when one was started.</param>
    /// <param name="partialResult">What the turn produced before it ended, when it ran.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public CodexRunException(string message, string? threadId = null, string? turnId = null, PromptRunResult? partialResult = null, Exception? innerException = null)
        : base(message, innerException)
    {
        ThreadId = threadId;
        TurnId = turnId;
        PartialResult = partialResult;
    }

    /// <summary>The thread, when one was started.</summary>
    public string? ThreadId { get; }

    /// <summary>The turn, when one was started.</summary>
    public string? TurnId { get; }

    /// <summary>What the turn produced before it ended (items, usage, diff), when it ran.</summary>
    public PromptRunResult? PartialResult { get; }

    /// <summary>
    /// A failure while cleaning up after the run (archiving the thread, stopping a process the run owned). Attached
    /// here rather than thrown so that it never hides the run's own error, and never swallowed.
    /// </summary>
    public Exception? ShutdownFailure { get; internal set; }
}
