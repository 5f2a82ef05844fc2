namespace CodexRuntime.Automation.Persistence;

/// <summary>
/// Keeps automations' progress across restarts, one <see cref="AutomationCheckpoint"/> per automation name. The
/// automation saves before each run, after each run and when it ends; a save must be atomic (a crash leaves the
/// previous or the new checkpoint, never a mix).
/// </summary>
public interface IAutomationStateStore
{
    /// <summary>The checkpoint saved for <paramref name="name"/>, or null when there is none.</summary>
    /// <param name="name">The automation's name.</param>
    /// <param name="cancellationToken">Abandons the read.</param>
    /// <returns>The checkpoint, or null.</returns>
    ValueTask<AutomationCheckpoint?> LoadAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Replaces the checkpoint of <see cref="AutomationCheckpoint.Name"/>, atomically.</summary>
    /// <param name="checkpoint">What to keep.</param>
    /// <param name="cancellationToken">Abandons the write (the previous checkpoint stays).</param>
    /// <returns>A task that completes when the checkpoint is durable.</returns>
    ValueTask SaveAsync(AutomationCheckpoint checkpoint, CancellationToken cancellationToken = default);
}
