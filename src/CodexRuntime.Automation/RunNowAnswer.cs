namespace CodexRuntime.Automation;

/// <summary>The answer to a run-now request.</summary>
internal enum RunNowAnswer
{
    Accepted,
    Queued,
    RetryBroughtForward,
    AlreadyPending,
    Paused,
    Ended,
}
