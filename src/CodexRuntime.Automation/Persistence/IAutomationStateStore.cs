namespace CodexRuntime.Automation.Persistence;

/// <summary>
/// Keeps automations' progress across restarts, one <see cref="AutomationCheckpoint"/> per automation name. The
/// automation saves before each run, after each run and when it ends; a save must be atomic (a crash leaves the
/// previous or the new checkpoint, never a mix). While an automation runs it owns its name on the store
/// (<see cref="AcquireAsync"/>), so two automations of one name never both run.
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

    /// <summary>
    /// Makes this process the only owner of <paramref name="name"/> on the store until the returned lease is disposed:
    /// a second automation of the same name (in this process, another process, another host sharing the store) is
    /// refused while it is held, so no due point runs twice. An owner whose process ended without disposing its lease
    /// (a crash) must not keep the name: the next acquirer takes it over. The automation acquires before it loads its
    /// checkpoint and lets go when it ends or is disposed.
    /// </summary>
    /// <param name="name">The automation's name.</param>
    /// <param name="cancellationToken">Abandons the attempt.</param>
    /// <returns>The lease; disposing it lets the name go.</returns>
    /// <exception cref="AutomationOwnedException">A live owner holds the name; the exception names it.</exception>
    ValueTask<IAsyncDisposable> AcquireAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every checkpoint the store holds, ordered by name. A damaged checkpoint is an entry with
    /// <see cref="AutomationCheckpointEntry.Problem"/> set instead of an exception, so one bad record does not hide the
    /// others. Checkpoints of automations running now are listed as last saved.
    /// </summary>
    /// <param name="cancellationToken">Abandons the listing.</param>
    /// <returns>The entries; empty when the store holds none.</returns>
    ValueTask<IReadOnlyList<AutomationCheckpointEntry>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Forgets <paramref name="name"/>'s checkpoint (damaged or not), so its automation starts afresh next time. Refused
    /// while the name is owned (<see cref="AcquireAsync"/>): a running automation would otherwise lose its count and run
    /// its <see cref="AutomationSpec.MaxRuns"/> again. A name without a checkpoint is not an error.
    /// </summary>
    /// <param name="name">The automation's name.</param>
    /// <param name="cancellationToken">Abandons the delete.</param>
    /// <returns>True when a checkpoint was deleted; false when there was none (nothing is touched).</returns>
    /// <exception cref="AutomationOwnedException">An automation of that name runs on the store; the checkpoint stays.</exception>
    ValueTask<bool> DeleteAsync(string name, CancellationToken cancellationToken = default);
}
