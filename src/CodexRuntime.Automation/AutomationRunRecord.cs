namespace CodexRuntime.Automation;

/// <summary>
/// One finished run as the state store's run history keeps it (<see cref="IAutomationStateStore.AppendRunAsync"/>):
/// plain data, the error as text, so a dashboard can read it after a restart or from another process.
/// </summary>
/// <param name="Automation">The automation's name.</param>
/// <param name="Number">The run's number (1-based; a run that did not complete is numbered again when it is retried).</param>
/// <param name="DueAt">The schedule point the run was due at.</param>
/// <param name="StartedAt">When it started (its lateness is <c>StartedAt - DueAt</c>).</param>
/// <param name="FinishedAt">When it ended.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="ErrorType">The run error's type name (<c>CodexRunFailedException</c>, ...); null when it completed.</param>
/// <param name="ErrorMessage">The run error's message; null when it completed.</param>
/// <param name="TurnId">The run's turn, also when it failed; null when no turn was started.</param>
/// <param name="ThreadId">The session's thread the turn ran on.</param>
public sealed record AutomationRunRecord(
    string Automation,
    int Number,
    DateTimeOffset DueAt,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    AutomationRunOutcome Outcome,
    string? ErrorType,
    string? ErrorMessage,
    string? TurnId,
    string? ThreadId)
{
    /// <summary>The most records one read returns (<see cref="IAutomationStateStore.ReadRunsAsync"/>): 1,000.</summary>
    public const int MaxReadCount = 1000;

    /// <summary>The record of <paramref name="run"/>.</summary>
    /// <param name="run">A finished run.</param>
    /// <returns>Its record (the error as its type name and message).</returns>
    public static AutomationRunRecord From(AutomationRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return new AutomationRunRecord(run.Automation, run.Number, run.DueAt, run.StartedAt, run.FinishedAt, run.Outcome,
            run.Error?.GetType().Name, run.Error?.Message, run.TurnId, run.ThreadId);
    }

    /// <summary>Refuses a read outside 1..<see cref="MaxReadCount"/> records or with a negative skip, saying what to pass instead.</summary>
    internal static void ValidateRead(int limit, int skip)
    {
        if (limit is < 1 or > MaxReadCount)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, $"A run history read returns 1 to {MaxReadCount} records; page with 'skip' for more.");
        }

        if (skip < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(skip), skip, "'skip' counts the newest records to leave out; it must be 0 or more.");
        }
    }
}
