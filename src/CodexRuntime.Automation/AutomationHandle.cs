namespace CodexRuntime.Automation;

/// <summary>
/// A running automation (from <see cref="CodexAutomation.StartAsync"/>): its <see cref="Status"/>, a notification per
/// finished run (<see cref="RunFinished"/> and <see cref="ReadRunsAsync"/>), <see cref="StopAsync"/> and
/// <see cref="Completion"/>.
/// </summary>
/// <remarks>
/// <see cref="DisposeAsync"/> without <see cref="StopAsync"/> lets go as a crash would: no further run, the turn in
/// flight is abandoned (codex is asked to interrupt it), and the state store keeps the last checkpoint, so an
/// automation started again on the same store continues where this one was.
/// </remarks>
public sealed class AutomationHandle : IAsyncDisposable
{
    private readonly AutomationRunner _runner;

    private AutomationHandle(AutomationRunner runner) => _runner = runner;

    /// <summary>The automation's name.</summary>
    public string Name => _runner.Name;

    /// <summary>The spec it runs.</summary>
    public AutomationSpec Spec => _runner.Spec;

    /// <summary>A snapshot of where it is: thread, runs completed, next due, last started and finished, state, last error.</summary>
    public AutomationStatus Status => _runner.Status;

    /// <summary>Completes, with the final status, when the automation ended (Stopped or Failed; also after <see cref="DisposeAsync"/>). Never faults.</summary>
    public Task<AutomationStatus> Completion => _runner.Completion;

    /// <summary>
    /// Raised once per finished run, on the automation's own task, after the run's outcome is in <see cref="Status"/>
    /// (and the state store). A handler that throws is logged and ignored. Runs that finished before a handler was
    /// added are not raised again; <see cref="ReadRunsAsync"/> has them.
    /// </summary>
    public event EventHandler<AutomationRun>? RunFinished;

    internal static async Task<AutomationHandle> StartAsync(CodexSession session, AutomationSpec spec, AutomationOptions options, CancellationToken cancellationToken)
    {
        // A run that ends before the handle exists has no subscriber to tell (nobody could have subscribed yet).
        AutomationHandle? handle = null;
        var runner = await AutomationRunner.StartAsync(session, spec, options, run => handle?.Raise(run), cancellationToken).ConfigureAwait(false);
        handle = new AutomationHandle(runner);
        return handle;
    }

    /// <summary>
    /// Every finished run from the first one kept (the newest 1,000), then each new one as it finishes; ends after the
    /// automation's last run. Each call has its own cursor, so any number of readers see every run.
    /// </summary>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The runs, in order.</returns>
    public IAsyncEnumerable<AutomationRun> ReadRunsAsync(CancellationToken cancellationToken = default) => _runner.Runs.ReadAllAsync(cancellationToken);

    /// <summary>
    /// Stops the automation: no further run starts; a turn in flight is interrupted (<c>turn/interrupt</c>) and
    /// awaited. The state becomes <see cref="AutomationState.Stopped"/> and the checkpoint keeps the interrupted run as
    /// owed, so a restart runs it.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting for the turn to end (the stop itself stays requested).</param>
    /// <returns>A task that completes when the automation ended.</returns>
    public Task StopAsync(CancellationToken cancellationToken = default) => _runner.StopAsync(cancellationToken);

    /// <summary>Lets go without stopping, as a crash would (see the remarks); the session stays open and is the caller's.</summary>
    /// <returns>A task that completes when the automation's task ended.</returns>
    public ValueTask DisposeAsync() => _runner.DisposeAsync();

    /// <inheritdoc />
    public override string ToString() => $"automation {Name}: {Status.State}";

    private void Raise(AutomationRun run) => RunFinished?.Invoke(this, run);

    /// <summary>
    /// The persisted run history of this automation's state store (<see cref="AutomationOptions.StateStore"/>), newest
    /// first: the runs of earlier processes too, kept as <see cref="AutomationOptions.RunHistoryLimit"/> and
    /// <see cref="AutomationOptions.RunHistoryMaxAge"/> say. Readable after the automation ended. Unlike
    /// <see cref="ReadRunsAsync"/> it returns at once with what is recorded now.
    /// </summary>
    /// <param name="limit">At most this many records, 1 to <see cref="Persistence.AutomationRunRecord.MaxReadCount"/>.</param>
    /// <param name="skip">How many of the newest records to leave out (the next page: the previous pages' records).</param>
    /// <param name="cancellationToken">Abandons the read.</param>
    /// <returns>The records, newest first.</returns>
    /// <exception cref="InvalidOperationException">The automation has no state store, so nothing is persisted.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> or <paramref name="skip"/> is out of range.</exception>
    public ValueTask<IReadOnlyList<Persistence.AutomationRunRecord>> ReadHistoryAsync(int limit = 100, int skip = 0, CancellationToken cancellationToken = default) =>
        _runner.History.ReadAsync(limit, skip, cancellationToken);
}
