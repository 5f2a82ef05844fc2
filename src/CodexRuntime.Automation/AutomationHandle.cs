namespace CodexRuntime.Automation;

/// <summary>
/// A running automation (from <see cref="CodexAutomation.StartAsync"/>): its <see cref="Status"/>, a notification per
/// finished run (<see cref="RunFinished"/> and <see cref="ReadRunsAsync"/>), <see cref="StopAsync"/> and
/// <see cref="Completion"/>; and control while it runs: <see cref="PauseAsync"/> / <see cref="ResumeAsync"/>,
/// <see cref="RunNowAsync"/>, <see cref="SkipNextAsync"/> and <see cref="CancelRunAsync"/>.
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

    /// <summary>
    /// Pauses the automation: no run starts until <see cref="ResumeAsync"/>, and the pause is saved in the state store
    /// before this returns, so an automation started again on the same store is still paused. A run in flight is not
    /// interrupted: it finishes and is recorded as usual, and then the state is <see cref="AutomationState.Paused"/>
    /// (until then it is Running with <see cref="AutomationStatus.IsPaused"/> true). While paused,
    /// <see cref="AutomationStatus.NextDueAt"/> stays the point the schedule stands at; a queued run-now or a waiting
    /// retry waits for the resume too; <see cref="AutomationSpec.StopAt"/> still ends a paused automation when it passes,
    /// and <see cref="StopAsync"/> stops it. Pausing a paused automation changes nothing.
    /// </summary>
    /// <param name="cancellationToken">Abandons the call before the pause is saved.</param>
    /// <returns>A task that completes once the pause is recorded and saved.</returns>
    /// <exception cref="InvalidOperationException">The automation has ended (Stopped or Failed), or it ended (a failed save) before the pause was saved.</exception>
    /// <exception cref="ObjectDisposedException">The handle was disposed.</exception>
    public Task PauseAsync(CancellationToken cancellationToken = default) => _runner.Controls.PauseAsync(cancellationToken);

    /// <summary>
    /// Resumes a paused automation (saved before this returns). If the point the schedule stood at passed while paused,
    /// the spec's <see cref="AutomationSpec.MissedRuns"/> policy decides, exactly as after a restart: by default one run
    /// at once, due at that point; <see cref="MissedRunPolicy.Skip"/> goes on at the next point after now;
    /// <see cref="MissedRunPolicy.RunEach"/> runs the missed points (at most <see cref="AutomationSpec.MaxCatchUpRuns"/>).
    /// A waiting retry or a queued run-now runs first. Resuming an automation that is not paused changes nothing.
    /// </summary>
    /// <param name="cancellationToken">Abandons the call before the resume is saved.</param>
    /// <returns>A task that completes once the resume is recorded and saved.</returns>
    /// <exception cref="InvalidOperationException">The automation has ended.</exception>
    /// <exception cref="ObjectDisposedException">The handle was disposed.</exception>
    public Task ResumeAsync(CancellationToken cancellationToken = default) => _runner.Controls.ResumeAsync(cancellationToken);

    /// <summary>
    /// Asks for one extra run at once, outside the schedule: it counts like any run (<see cref="AutomationStatus.RunsCompleted"/>,
    /// <see cref="AutomationSpec.MaxRuns"/>) but does not move the schedule (<see cref="AutomationStatus.NextDueAt"/> and the
    /// points after it stay). Its <see cref="AutomationRun.DueAt"/> is the time it was asked for. While a run is in
    /// flight the run-now is queued and starts as soon as that run ends. While a failed run waits for its retry, the
    /// retry is brought forward to now instead (it asks the same prompt). A queued run-now is saved: a restart owes it.
    /// It fails and is retried like any run.
    /// </summary>
    /// <param name="cancellationToken">Abandons the call before the request is saved.</param>
    /// <returns>A task that completes once the request is recorded and saved (not when the run ends: see <see cref="RunFinished"/>).</returns>
    /// <exception cref="InvalidOperationException">The automation has ended, is paused (resume it first), or already has a run-now queued or in flight (one at a time).</exception>
    /// <exception cref="ObjectDisposedException">The handle was disposed.</exception>
    public Task RunNowAsync(CancellationToken cancellationToken = default) => _runner.Controls.RunNowAsync(cancellationToken);

    /// <summary>
    /// Skips the next scheduled run: <see cref="AutomationStatus.NextDueAt"/> moves to the following schedule point at
    /// once (saved before this returns). While a scheduled run is in flight, the skip applies to the point after it,
    /// once it ends (kept in the checkpoint meanwhile); each call skips one more point. A failed run waiting for its
    /// retry is the next run: it is dropped. A queued run-now is not affected. If no point is left before
    /// <see cref="AutomationSpec.StopAt"/>, the automation ends Stopped. Works while paused.
    /// </summary>
    /// <param name="cancellationToken">Abandons the call before the skip is saved.</param>
    /// <returns>A task that completes once the skip is recorded and saved.</returns>
    /// <exception cref="InvalidOperationException">The automation has ended.</exception>
    /// <exception cref="ObjectDisposedException">The handle was disposed.</exception>
    public Task SkipNextAsync(CancellationToken cancellationToken = default) => _runner.Controls.SkipNextAsync(cancellationToken);

    /// <summary>
    /// Cancels the run in flight without ending the automation: its turn is interrupted (<c>turn/interrupt</c>) and
    /// awaited. The cancelled run is not counted and is not a failure (no retry, no Failed): its
    /// <see cref="AutomationRun.Error"/> is the <see cref="CodexRunInterruptedException"/>, and the automation goes on
    /// to the schedule point after it (a cancelled run-now is dropped; the schedule was not moved by it). If the turn
    /// completed before codex took the interrupt, the run counts as completed. With no run in flight (waiting, paused,
    /// waiting for a retry, ended) nothing happens and the result is false.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting for the run to end (the interrupt stays sent).</param>
    /// <returns>True when a run was in flight (it has ended when the task completes); false when there was none.</returns>
    /// <exception cref="ObjectDisposedException">The handle was disposed.</exception>
    public Task<bool> CancelRunAsync(CancellationToken cancellationToken = default) => _runner.Controls.CancelRunAsync(cancellationToken);

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
    /// <param name="limit">At most this many records, 1 to <see cref="AutomationRunRecord.MaxReadCount"/>.</param>
    /// <param name="skip">How many of the newest records to leave out (the next page: the previous pages' records).</param>
    /// <param name="cancellationToken">Abandons the read.</param>
    /// <returns>The records, newest first.</returns>
    /// <exception cref="InvalidOperationException">The automation has no state store, so nothing is persisted.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> or <paramref name="skip"/> is out of range.</exception>
    public ValueTask<IReadOnlyList<AutomationRunRecord>> ReadHistoryAsync(int limit = 100, int skip = 0, CancellationToken cancellationToken = default) =>
        _runner.History.ReadAsync(limit, skip, cancellationToken);
}
