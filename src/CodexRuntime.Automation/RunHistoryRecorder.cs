using Microsoft.Extensions.Logging;

namespace CodexRuntime.Automation;

/// <summary>
/// Records an automation's finished runs in its state store's run history with the automation's retention, and reads
/// them back for its handle. A failed write is logged, never fatal: the history is a report, while the checkpoint
/// (already saved) is what keeps the schedule from skipping or doubling a run.
/// </summary>
internal sealed class RunHistoryRecorder(string name, IAutomationStateStore? store, int keep, TimeSpan? maxAge, ILogger logger)
{
    /// <summary>Appends <paramref name="run"/>; with no store, nothing.</summary>
    public async Task RecordAsync(AutomationRun run)
    {
        if (store is null)
        {
            return;
        }

        try
        {
            // Not cancellable: the run has happened, and an abandoned append would leave the history short of it.
            await store.AppendRunAsync(AutomationRunRecord.From(run), keep, maxAge, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Whatever a store throws: the automation goes on, and the run is still in the checkpoint, the status and ReadRunsAsync.
            AutomationLog.HistoryAppendFailed(logger, ex, name, run.Number);
        }
    }

    /// <summary>The store's run history, newest first.</summary>
    public ValueTask<IReadOnlyList<AutomationRunRecord>> ReadAsync(int limit, int skip, CancellationToken cancellationToken)
    {
        AutomationRunRecord.ValidateRead(limit, skip);
        if (store is null)
        {
            throw new InvalidOperationException(
                $"Automation '{name}' has no state store, so its runs are not persisted. Set AutomationOptions.StateStore to keep a run history; ReadRunsAsync streams the runs kept in memory.");
        }

        return store.ReadRunsAsync(name, limit, skip, cancellationToken);
    }
}
