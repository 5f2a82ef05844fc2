using Microsoft.Extensions.Logging;

namespace CodexRuntime.Automation;

/// <summary>
/// An automation's checkpoint on its state store: the check of a loaded one, the saves (one at a time, each writing the
/// progress as it is when its turn comes), and the store's lease on the name until it is let go. Without a store it
/// saves nothing and every save succeeds.
/// </summary>
internal sealed class CheckpointKeeper(IAutomationStateStore? store, AutomationProgress progress, string name, ILogger logger, Func<bool> stopWriting)
{
    private readonly SemaphoreSlim _saveGate = new(1, 1);
    private IAsyncDisposable? _lease;

    /// <summary>Takes the store's ownership of the name, held from start until the automation ends or is disposed.</summary>
    public void Hold(IAsyncDisposable? lease) => _lease = lease;

    /// <summary>
    /// Whatever store returned it, a checkpoint that would bend the count or belongs to another name stops the start:
    /// continuing from it could exceed <see cref="AutomationSpec.MaxRuns"/> or repeat another automation's runs.
    /// </summary>
    public static void EnsureUsable(AutomationCheckpoint checkpoint, IAutomationStateStore store, string name)
    {
        var problem = checkpoint.Name != name ? $"its Name is '{checkpoint.Name}'"
            : checkpoint.RunsCompleted < 0 ? $"its RunsCompleted is {checkpoint.RunsCompleted}"
            : checkpoint.NextDueAt is null && checkpoint.State is AutomationState.Waiting or AutomationState.Running or AutomationState.Paused ? $"its NextDueAt is null while its State is {checkpoint.State}"
            : checkpoint.FailedAttempts < 0 ? $"its FailedAttempts is {checkpoint.FailedAttempts}"
            : checkpoint.SkipsPending < 0 ? $"its SkipsPending is {checkpoint.SkipsPending}"
            : null;
        if (problem is not null)
        {
            throw new InvalidDataException($"The checkpoint {store.GetType().Name} returned for automation '{name}' is not usable: {problem}. The automation does not run until the store's checkpoint is fixed.");
        }
    }

    /// <summary>
    /// Saves the checkpoint; a failed save ends the automation as Failed (it could no longer promise no skipped or
    /// doubled run). Saves are one at a time and each writes the progress as it is when its turn comes, so the loop's
    /// and the control actions' saves cannot land out of order.
    /// </summary>
    public async Task<bool> TrySaveAsync()
    {
        if (store is null)
        {
            return true;
        }

        await _saveGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (stopWriting())
            {
                return false;
            }

            await store.SaveAsync(progress.Checkpoint(), CancellationToken.None).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex)
        {
            // Whatever a store throws: an automation never crashes its host once running.
            AutomationLog.SaveFailed(logger, ex, name);
            if (!progress.IsEnded)
            {
                progress.End(AutomationState.Failed, $"Saving the checkpoint failed: {ex.GetType().Name}: {ex.Message}");
                AutomationLog.Ended(logger, name, AutomationState.Failed, progress.RunsCompleted);
            }

            return false;
        }
        finally
        {
            _saveGate.Release();
        }
    }

    /// <summary>Waits for a save in progress to end (after the runner stopped writing, none starts again).</summary>
    public async Task WaitForSavesAsync()
    {
        await _saveGate.WaitAsync().ConfigureAwait(false);
        _saveGate.Release();
    }

    /// <summary>Disposes the store's lease once (at the end, or at dispose when the loop never finished).</summary>
    public async ValueTask ReleaseAsync()
    {
        if (Interlocked.Exchange(ref _lease, null) is not { } lease)
        {
            return;
        }

        try
        {
            await lease.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The automation has ended either way; an owner that cannot let go stays the owner until its process ends.
            AutomationLog.ReleaseFailed(logger, ex, name);
        }
    }
}
