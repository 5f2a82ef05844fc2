namespace CodexRuntime.Automation;

/// <summary>One finished run of an automation: its result, or the error that ended it.</summary>
/// <param name="Automation">The automation's name.</param>
/// <param name="Number">The run's number, 1-based, counting completed runs before it (across restarts with a state store) plus one.</param>
/// <param name="DueAt">The schedule point the run was due at.</param>
/// <param name="StartedAt">When it started (its lateness is <c>StartedAt - DueAt</c>).</param>
/// <param name="FinishedAt">When it ended.</param>
/// <param name="Result">The completed turn's result; null when the run ended with <paramref name="Error"/>.</param>
/// <param name="Error">The run error (<see cref="CodexRunFailedException"/>, <see cref="CodexRunInterruptedException"/> for a run a stop interrupted, <see cref="CodexSessionClosedException"/>, ...); null when it completed.</param>
/// <param name="Outcome">How the run ended: completed, failed, interrupted by a stop, or cancelled on its own.</param>
/// <param name="ThreadId">The session's thread the run's turn ran on.</param>
/// <param name="TurnId">The run's turn, also when it failed or was interrupted; null when no turn was started (<c>turn/start</c> itself failed).</param>
public sealed record AutomationRun(
    string Automation,
    int Number,
    DateTimeOffset DueAt,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    PromptRunResult? Result,
    Exception? Error,
    AutomationRunOutcome Outcome,
    string ThreadId,
    string? TurnId)
{
    /// <summary>True when the turn completed with an answer.</summary>
    public bool Succeeded => Error is null;
}
