namespace CodexRuntime.Automation;

/// <summary>
/// Keeps automations' progress across restarts, one <see cref="AutomationCheckpoint"/> per automation name. The
/// automation saves before each run, after each run and when it ends; a save must be atomic (a crash leaves the
/// previous or the new checkpoint, never a mix). While an automation runs it owns its name on the store
/// (<see cref="AcquireAsync"/>), so two automations of one name never both run. Each automation also has a run history
/// (<see cref="AppendRunAsync"/>, <see cref="ReadRunsAsync"/>): its finished runs, readable after a restart.
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
    /// Forgets <paramref name="name"/>'s checkpoint (damaged or not) and its run history, so its automation starts afresh
    /// next time (its run numbers start at 1 again, so an old history would repeat them). Refused
    /// while the name is owned (<see cref="AcquireAsync"/>): a running automation would otherwise lose its count and run
    /// its <see cref="AutomationSpec.MaxRuns"/> again. A name without a checkpoint is not an error.
    /// </summary>
    /// <param name="name">The automation's name.</param>
    /// <param name="cancellationToken">Abandons the delete.</param>
    /// <returns>True when a checkpoint or a run history was deleted; false when there was neither (nothing is touched).</returns>
    /// <exception cref="AutomationOwnedException">An automation of that name runs on the store; the checkpoint stays.</exception>
    ValueTask<bool> DeleteAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds a finished run to <see cref="AutomationRunRecord.Automation"/>'s run history, then drops what the retention
    /// no longer keeps: all but the newest <paramref name="keep"/> records, and those that finished more than
    /// <paramref name="maxAge"/> before this one. Called only by the name's owner (<see cref="AcquireAsync"/>), once per
    /// run, after the run's checkpoint is saved. An append that is cut off (a crash) must not lose or damage the records
    /// before it.
    /// </summary>
    /// <param name="record">The run.</param>
    /// <param name="keep">How many records to keep, this one included; 0 keeps none (the history is removed).</param>
    /// <param name="maxAge">Records that finished longer than this before <paramref name="record"/> are dropped; null keeps them whatever their age.</param>
    /// <param name="cancellationToken">Abandons the append.</param>
    /// <returns>A task that completes when the record is durable.</returns>
    ValueTask AppendRunAsync(AutomationRunRecord record, int keep, TimeSpan? maxAge = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// <paramref name="name"/>'s run history, newest first: the newest <paramref name="limit"/> records after leaving out
    /// the newest <paramref name="skip"/> (a dashboard's pages: skip 0, then <paramref name="limit"/>, ...). Readable
    /// whether the automation runs, has ended or never started here; empty when it has no history.
    /// </summary>
    /// <param name="name">The automation's name.</param>
    /// <param name="limit">At most this many records, 1 to <see cref="AutomationRunRecord.MaxReadCount"/>.</param>
    /// <param name="skip">How many of the newest records to leave out (0 or more).</param>
    /// <param name="cancellationToken">Abandons the read.</param>
    /// <returns>The records, newest first.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> or <paramref name="skip"/> is out of range.</exception>
    ValueTask<IReadOnlyList<AutomationRunRecord>> ReadRunsAsync(string name, int limit = 100, int skip = 0, CancellationToken cancellationToken = default);
}
