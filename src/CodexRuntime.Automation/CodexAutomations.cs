using System.Diagnostics.CodeAnalysis;

namespace CodexRuntime.Automation;

/// <summary>
/// The automations a host runs (<c>AddAutomation</c>), from DI: each one's status, and its handle once its hosted
/// service started it.
/// </summary>
public sealed class CodexAutomations
{
    private readonly Dictionary<string, Entry> _entries;
    private readonly Func<string, IAutomationStateStore?> _storeOf;

    internal CodexAutomations(IEnumerable<AutomationDefinition> definitions, Func<string, IAutomationStateStore?> storeOf)
    {
        _storeOf = storeOf;
        _entries = definitions.ToDictionary(d => d.Name, d => new Entry(), StringComparer.Ordinal);
        Names = [.. _entries.Keys];
    }

    /// <summary>The names of every registered automation, in registration order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>
    /// The status of <paramref name="name"/>: its handle's status once it runs; <see cref="AutomationState.Waiting"/>
    /// with nothing known while its session is being prepared; <see cref="AutomationState.Standby"/> while another
    /// process owns the name on the state store (<see cref="AutomationStatus.LastError"/> names the owner);
    /// <see cref="AutomationState.Failed"/> with the reason when the session could not be prepared.
    /// </summary>
    /// <param name="name">The automation's name.</param>
    /// <returns>The status.</returns>
    /// <exception cref="KeyNotFoundException">No automation has that name.</exception>
    public AutomationStatus GetStatus(string name)
    {
        var entry = Find(name);
        lock (entry)
        {
            return entry.Handle?.Status ?? entry.BeforeStart ?? new AutomationStatus(name, null, 0, null, null, null, AutomationState.Waiting, null);
        }
    }

    /// <summary>The status of every automation, by name.</summary>
    /// <returns>A snapshot.</returns>
    public IReadOnlyDictionary<string, AutomationStatus> GetStatuses() => Names.ToDictionary(n => n, GetStatus, StringComparer.Ordinal);

    /// <summary>The handle of <paramref name="name"/>, when its hosted service started it.</summary>
    /// <param name="name">The automation's name.</param>
    /// <param name="handle">The handle.</param>
    /// <returns>True when it runs (or ran).</returns>
    public bool TryGetHandle(string name, [NotNullWhen(true)] out AutomationHandle? handle)
    {
        var entry = Find(name);
        lock (entry)
        {
            handle = entry.Handle;
            return handle is not null;
        }
    }

    /// <summary>Waits until the hosted service started <paramref name="name"/> and returns its handle.</summary>
    /// <param name="name">The automation's name.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The handle.</returns>
    /// <exception cref="InvalidOperationException">The automation's session could not be prepared (the inner exception says why).</exception>
    public Task<AutomationHandle> WaitForHandleAsync(string name, CancellationToken cancellationToken = default) =>
        Find(name).Started.Task.WaitAsync(cancellationToken);

    /// <summary>
    /// The persisted run history of <paramref name="name"/>, newest first, read from the state store its
    /// <see cref="AutomationHostOptions.StateStore"/> names: also before its session is ready, after it failed to start
    /// and after it ended, and the runs of earlier host processes.
    /// </summary>
    /// <param name="name">The automation's name.</param>
    /// <param name="limit">At most this many records, 1 to <see cref="AutomationRunRecord.MaxReadCount"/>.</param>
    /// <param name="skip">How many of the newest records to leave out (the next page: the previous pages' records).</param>
    /// <param name="cancellationToken">Abandons the read.</param>
    /// <returns>The records, newest first; empty when it has none yet.</returns>
    /// <exception cref="KeyNotFoundException">No automation has that name.</exception>
    /// <exception cref="InvalidOperationException">The automation has no state store, so nothing is persisted.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> or <paramref name="skip"/> is out of range.</exception>
    public ValueTask<IReadOnlyList<AutomationRunRecord>> ReadHistoryAsync(string name, int limit = 100, int skip = 0, CancellationToken cancellationToken = default)
    {
        Find(name);
        AutomationRunRecord.ValidateRead(limit, skip);
        var store = _storeOf(name) ?? throw new InvalidOperationException(
            $"Automation '{name}' has no state store, so its runs are not persisted. Set AutomationHostOptions.StateStore in its AddAutomation call to keep a run history.");
        return store.ReadRunsAsync(name, limit, skip, cancellationToken);
    }

    internal void Started(string name, AutomationHandle handle)
    {
        var entry = Find(name);
        lock (entry)
        {
            entry.Handle = handle;
        }

        entry.Started.TrySetResult(handle);
    }

    internal void Standby(string name, AutomationOwnedException owned)
    {
        var entry = Find(name);
        lock (entry)
        {
            entry.BeforeStart = new AutomationStatus(name, null, 0, null, null, null, AutomationState.Standby, owned.Message);
        }
    }

    internal void Failed(string name, Exception error)
    {
        var entry = Find(name);
        lock (entry)
        {
            entry.BeforeStart = new AutomationStatus(name, null, 0, null, null, null, AutomationState.Failed, $"The automation did not start: {error.GetType().Name}: {error.Message}");
        }

        entry.Started.TrySetException(new InvalidOperationException($"Automation '{name}' did not start: {error.Message}", error));
    }

    private Entry Find(string name) =>
        _entries.TryGetValue(name, out var entry) ? entry : throw new KeyNotFoundException($"No automation is named '{name}'; registered: {string.Join(", ", Names)}.");

    private sealed class Entry
    {
        public TaskCompletionSource<AutomationHandle> Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public AutomationHandle? Handle { get; set; }

        /// <summary>The status shown while there is no handle: standing by for another owner, or why the start failed.</summary>
        public AutomationStatus? BeforeStart { get; set; }
    }
}
