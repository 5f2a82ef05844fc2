using System.Collections.Concurrent;
using CodexRuntime.Artifact.Patching;
using CodexRuntime.Artifact.Storage;
using CodexRuntime.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CodexRuntime.Artifact;

/// <summary>
/// Artifact-backed codex threads over one <see cref="CodexClient"/>: each artifact has its own thread (stored in its
/// meta and resumed next time), and typed tasks (<see cref="ArtifactTaskKind"/>) write and edit its text in an
/// <see cref="IArtifactStore"/>. Tasks of one artifact run one at a time in this process; saves are compare-and-swap,
/// so other processes cannot lose an update either.
/// </summary>
/// <remarks>
/// Every turn runs with approval policy never and a read-only sandbox. <see cref="CloseAsync"/> lets one artifact's
/// thread go and disposing lets them all go, without archiving them (a later open resumes them); the client is not
/// disposed. A long-running service that touches many artifacts closes each when it is done with it: the manager then
/// keeps nothing of it.
/// </remarks>
/// <example>
/// <code>
/// await using var manager = new ArtifactSessionManager(client, new FsArtifactStore("/data/artifacts"));
/// var generated = (DocGenerateResult)await manager.RunTaskAsync(new ArtifactTaskSpec("notes", ArtifactTaskKind.DocGenerate, "Write release notes for 2.0"));
/// var edited = (DocEditResult)await manager.RunTaskAsync(new ArtifactTaskSpec("notes", ArtifactTaskKind.DocEdit, "Add a line about the new CLI"));
/// </code>
/// </example>
public sealed class ArtifactSessionManager : IAsyncDisposable
{
    private readonly KeyedGates _gates = new();
    private readonly ConcurrentDictionary<string, OpenArtifact> _open = new(StringComparer.Ordinal);
    private readonly ArtifactTaskRunner _runner;
    private readonly ArtifactThreads _threads;
    private int _disposed;

    /// <summary>Creates a manager; nothing starts until the first open or task.</summary>
    /// <param name="client">The codex client the artifacts' threads run on (not owned).</param>
    /// <param name="store">Where the artifacts live.</param>
    /// <param name="options">Task timeout, working directory, contract, schemas; defaults when null.</param>
    /// <param name="loggerFactory">Logging; none when null.</param>
    /// <exception cref="ArgumentException">An option is out of range (the message names it).</exception>
    public ArtifactSessionManager(CodexClient client, IArtifactStore store, ArtifactOptions? options = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(store);
        Options = options ?? new ArtifactOptions();
        // The contract is checked at each open and task (SPEC), so a mismatch surfaces there with its own error kind.
        var problems = Options.Validate().Where(p => !p.StartsWith("ArtifactOptions.Contract", StringComparison.Ordinal)).ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException("The artifact options are invalid:\n- " + string.Join("\n- ", problems), nameof(options));
        }

        Client = client;
        Store = store;
        _runner = new ArtifactTaskRunner(store, Options);
        _threads = new ArtifactThreads(client, store, Options, (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ArtifactSessionManager>());
    }

    /// <summary>The client the threads run on.</summary>
    public CodexClient Client { get; }

    /// <summary>Where the artifacts live.</summary>
    public IArtifactStore Store { get; }

    /// <summary>The options.</summary>
    public ArtifactOptions Options { get; }

    /// <summary>How many artifacts have a session open (for tests and the churn benchmark).</summary>
    internal int OpenCount => _open.Count;

    /// <summary>How many per-artifact gates exist: one per artifact with an open, task, undo or close running or waiting.</summary>
    internal int GateCount => _gates.Count;

    private TimeProvider Time => Client.Config.Runtime.Connection.TimeProvider ?? TimeProvider.System;

    /// <summary>
    /// Opens an artifact: loads its meta (title = id and format <c>markdown</c> for a new one), repairs its revision
    /// from its text, resumes its stored thread (<c>thread/resume</c>; the returned id must match) or starts one
    /// (<c>thread/start</c>), and stores the thread id. Opening an open artifact returns it as it is.
    /// </summary>
    /// <param name="artifactId">The artifact id (any non-empty string that is valid Unicode: no unpaired surrogate).</param>
    /// <param name="cancellationToken">Abandons opening.</param>
    /// <returns>The open artifact.</returns>
    /// <exception cref="ArtifactException">The id is not valid Unicode, the contract is incompatible, codex resumed another thread, or the store failed (kind says which).</exception>
    public async Task<ArtifactSession> OpenAsync(string artifactId, CancellationToken cancellationToken = default)
    {
        ArtifactIds.Validate(artifactId);
        CheckUsable(artifactId);
        return (await UnderGateAsync(artifactId, () => OpenLockedAsync(artifactId, cancellationToken), cancellationToken).ConfigureAwait(false)).Info;
    }

    /// <summary>
    /// Runs one task: opens the artifact if needed, sends one turn (approval never, read-only sandbox, effort
    /// <c>medium</c> unless given, the kind's output schema) with the sectioned prompt, reads the answer and saves
    /// what the kind produces. Limited to <see cref="ArtifactOptions.TaskTimeout"/> (the turn is interrupted).
    /// </summary>
    /// <param name="spec">The task.</param>
    /// <param name="cancellationToken">Cancels the task (a running turn is interrupted); nothing is written after a cancel.</param>
    /// <returns>A <see cref="DocGenerateResult"/>, <see cref="DocEditResult"/> or <see cref="PassthroughResult"/>, by kind.</returns>
    /// <exception cref="ArtifactException">
    /// Conflict (the stored revision moved on, or the patch is for another revision), InvalidOutput, InvalidPatch,
    /// Timeout, IncompatibleContract, InvalidId, ...: nothing was written.
    /// </exception>
    /// <exception cref="CodexRunException">The turn failed in codex (failed, interrupted, empty answer).</exception>
    public Task<ArtifactTaskResult> RunTaskAsync(ArtifactTaskSpec spec, CancellationToken cancellationToken = default)
    {
        CheckTask(spec);
        return RunTaskCoreAsync(spec, null, cancellationToken);
    }

    /// <summary>
    /// Starts a task as <see cref="RunTaskAsync"/> runs it, and returns at once with its progress for a UI: the turn's
    /// item starts and completions and the answer's text deltas, in order (<see cref="ArtifactTaskRun.Progress"/>),
    /// and its result (<see cref="ArtifactTaskRun.Result"/>). The task never waits for the progress reader (see
    /// <see cref="ArtifactTaskRun"/>).
    /// </summary>
    /// <param name="spec">The task.</param>
    /// <param name="cancellationToken">Cancels the task (a running turn is interrupted); nothing is written after a cancel.</param>
    /// <returns>The running task.</returns>
    /// <exception cref="ArgumentException">The spec is incomplete (the message names the member).</exception>
    /// <exception cref="ArtifactException">The id is not valid Unicode (InvalidId) or the contract is incompatible: thrown here, nothing started.</exception>
    public ArtifactTaskRun RunTaskStreaming(ArtifactTaskSpec spec, CancellationToken cancellationToken = default)
    {
        CheckTask(spec);
        var progress = new ArtifactProgressBuffer(spec.ArtifactId, Options.ProgressCapacity);
        return new ArtifactTaskRun(spec.ArtifactId, progress.Reader, RunTaskCoreAsync(spec, progress, cancellationToken));
    }

    private void CheckTask(ArtifactTaskSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArtifactIds.Validate(spec.ArtifactId, "spec.ArtifactId");
        ArgumentException.ThrowIfNullOrWhiteSpace(spec.UserGoal, "spec.UserGoal");
        if (!Enum.IsDefined(spec.Kind))
        {
            throw new ArgumentException($"spec.Kind {(int)spec.Kind} is not an ArtifactTaskKind; use DocGenerate, DocEdit or Passthrough.", nameof(spec));
        }

        CheckUsable(spec.ArtifactId);
    }

    /// <summary>A checked task, with or without progress; the progress stream ends before the result is set.</summary>
    private async Task<ArtifactTaskResult> RunTaskCoreAsync(ArtifactTaskSpec spec, ArtifactProgressBuffer? progress, CancellationToken cancellationToken)
    {
        try
        {
            return await RunTaskLimitedAsync(spec, progress, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            progress?.Complete();
        }
    }

    private async Task<ArtifactTaskResult> RunTaskLimitedAsync(ArtifactTaskSpec spec, ArtifactProgressBuffer? progress, CancellationToken cancellationToken)
    {
        using var limit = new CancellationTokenSource(Options.TaskTimeout, Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        try
        {
            return await UnderGateAsync(spec.ArtifactId, async () =>
            {
                var open = await OpenLockedAsync(spec.ArtifactId, linked.Token).ConfigureAwait(false);
                var record = await Store.LoadAsync(spec.ArtifactId, linked.Token).ConfigureAwait(false)
                    ?? throw new ArtifactException(ArtifactErrorKind.Corrupt, spec.ArtifactId, $"Artifact '{spec.ArtifactId}' vanished from the store after it was opened.");
                return await _runner.RunAsync(open.Session, open.Model, spec, record, progress, linked.Token).ConfigureAwait(false);
            }, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ArtifactException(ArtifactErrorKind.Timeout, spec.ArtifactId,
                $"The {spec.Kind} task on artifact '{spec.ArtifactId}' did not finish within {Options.TaskTimeout.TotalSeconds} s (ArtifactOptions.TaskTimeout); a running turn was interrupted and nothing was written.", ex);
        }
    }

    /// <summary>
    /// Undoes one step: saves again the text the current revision's undo points at (<see cref="ArtifactHistory"/>),
    /// so undo, undo, undo walks back through the edits as far as the kept revisions reach. A new save by
    /// compare-and-swap: history is never rewritten and other processes see it.
    /// </summary>
    /// <param name="artifactId">The artifact.</param>
    /// <param name="cancellationToken">Abandons the call.</param>
    /// <returns>The artifact after the undo.</returns>
    /// <exception cref="ArtifactException">
    /// <see cref="ArtifactErrorKind.NotFound"/>, <see cref="ArtifactErrorKind.NothingToUndo"/>,
    /// <see cref="ArtifactErrorKind.RevisionNotKept"/>, <see cref="ArtifactErrorKind.Conflict"/> (someone saved in
    /// between), <see cref="ArtifactErrorKind.InvalidId"/>; nothing was written.
    /// </exception>
    public async Task<ArtifactRecord> UndoAsync(string artifactId, CancellationToken cancellationToken = default)
    {
        ArtifactIds.Validate(artifactId);
        CheckUsable(artifactId);
        return await UnderGateAsync(artifactId, () => new ArtifactHistory(Store).UndoAsync(artifactId, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Redoes one undone step: saves again the text the last undo left. An ordinary save (a task's result) after an
    /// undo drops the redo path.
    /// </summary>
    /// <param name="artifactId">The artifact.</param>
    /// <param name="cancellationToken">Abandons the call.</param>
    /// <returns>The artifact after the redo.</returns>
    /// <exception cref="ArtifactException">
    /// <see cref="ArtifactErrorKind.NotFound"/>, <see cref="ArtifactErrorKind.NothingToRedo"/>,
    /// <see cref="ArtifactErrorKind.RevisionNotKept"/>, <see cref="ArtifactErrorKind.Conflict"/>,
    /// <see cref="ArtifactErrorKind.InvalidId"/>; nothing was written.
    /// </exception>
    public async Task<ArtifactRecord> RedoAsync(string artifactId, CancellationToken cancellationToken = default)
    {
        ArtifactIds.Validate(artifactId);
        CheckUsable(artifactId);
        return await UnderGateAsync(artifactId, () => new ArtifactHistory(Store).RedoAsync(artifactId, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The kept revisions of an artifact, newest (the current one) first, with how each came to be and where undo and redo go from it.</summary>
    /// <param name="artifactId">The artifact.</param>
    /// <param name="cancellationToken">Abandons the call.</param>
    /// <returns>The meta of each kept revision; empty when the artifact does not exist.</returns>
    /// <exception cref="ArtifactException">The id is not valid Unicode (<see cref="ArtifactErrorKind.InvalidId"/>).</exception>
    public Task<IReadOnlyList<ArtifactMeta>> ListRevisionsAsync(string artifactId, CancellationToken cancellationToken = default)
    {
        ArtifactIds.Validate(artifactId);
        CheckUsable(artifactId);
        return Store.ListRevisionsAsync(artifactId, cancellationToken);
    }

    /// <summary>The line differences between two kept revisions of an artifact (<see cref="Diffing.LineDiff"/>).</summary>
    /// <param name="artifactId">The artifact.</param>
    /// <param name="fromRevision">The old side's revision.</param>
    /// <param name="toRevision">The new side's revision.</param>
    /// <param name="cancellationToken">Abandons the call.</param>
    /// <returns>The differences; <see cref="Diffing.LineDiff.ToUnifiedDiff"/> renders them.</returns>
    /// <exception cref="ArtifactException">
    /// <see cref="ArtifactErrorKind.NotFound"/> (no such artifact or revision), <see cref="ArtifactErrorKind.RevisionNotKept"/>,
    /// <see cref="ArtifactErrorKind.InvalidId"/>.
    /// </exception>
    public Task<Diffing.LineDiff> DiffAsync(string artifactId, string fromRevision, string toRevision, CancellationToken cancellationToken = default)
    {
        ArtifactIds.Validate(artifactId);
        CheckUsable(artifactId);
        return new ArtifactHistory(Store).DiffAsync(artifactId, fromRevision, toRevision, cancellationToken);
    }

    /// <summary>
    /// Closes one artifact: lets its codex session go without archiving the thread (a later open or task resumes it),
    /// and the manager keeps nothing of it. It takes the artifact's gate like a task, so it waits for the artifact's
    /// open, task or undo in flight and never runs under a turn; an open or task of the artifact that gets the gate
    /// after the close opens it again (resuming the thread).
    /// </summary>
    /// <param name="artifactId">The artifact.</param>
    /// <param name="cancellationToken">Abandons waiting (the artifact stays as it was).</param>
    /// <returns>True when a session was open and was let go; false when the artifact was not open.</returns>
    /// <exception cref="ArtifactException">
    /// Work of the artifact still held it after <see cref="ArtifactOptions.TaskTimeout"/> (<see cref="ArtifactErrorKind.Timeout"/>;
    /// nothing was closed), or the id is not valid Unicode (InvalidId).
    /// </exception>
    public async Task<bool> CloseAsync(string artifactId, CancellationToken cancellationToken = default)
    {
        ArtifactIds.Validate(artifactId);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        return await UnderGateAsync(artifactId, async () =>
        {
            if (!_open.TryRemove(artifactId, out var open))
            {
                return false;
            }

            await open.Session.DisposeAsync().ConfigureAwait(false);
            return true;
        }, cancellationToken, Options.TaskTimeout).ConfigureAwait(false);
    }

    /// <summary>Lets go of every artifact's session without archiving its thread. Idempotent; the client keeps running.</summary>
    /// <returns>A task that completes when the sessions are released.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        foreach (var artifactId in _open.Keys)
        {
            if (_open.TryRemove(artifactId, out var open))
            {
                await open.Session.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private void CheckUsable(string artifactId)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        if (!Options.Contract.IsCompatibleWith(PluginContractVersion.Current))
        {
            throw new ArtifactException(ArtifactErrorKind.IncompatibleContract, artifactId,
                $"The caller was built for artifact contract {Options.Contract}, but this package implements {PluginContractVersion.Current}; majors must match. Nothing was done.");
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/> holding the artifact's in-memory gate: one open, task, undo or close of an artifact
    /// at a time in this process. The gate exists only while someone holds or waits for it (<see cref="KeyedGates"/>).
    /// </summary>
    /// <param name="artifactId">The artifact.</param>
    /// <param name="body">The work.</param>
    /// <param name="cancellationToken">Abandons waiting and the work.</param>
    /// <param name="wait">When set, how long to wait for the gate before failing with <see cref="ArtifactErrorKind.Timeout"/>.</param>
    private async Task<T> UnderGateAsync<T>(string artifactId, Func<Task<T>> body, CancellationToken cancellationToken, TimeSpan? wait = null)
    {
        var gate = _gates.Rent(artifactId);
        try
        {
            await EnterAsync(gate.Semaphore, artifactId, cancellationToken, wait).ConfigureAwait(false);
            try
            {
                return await body().ConfigureAwait(false);
            }
            finally
            {
                gate.Semaphore.Release();
            }
        }
        finally
        {
            gate.Return();
        }
    }

    private async Task EnterAsync(SemaphoreSlim gate, string artifactId, CancellationToken cancellationToken, TimeSpan? wait)
    {
        if (wait is not { } deadline)
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        // On the client's clock (as the task limit), so the deadline is testable and agrees with the tasks it waits for.
        using var limit = new CancellationTokenSource(deadline, Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        try
        {
            await gate.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new ArtifactException(ArtifactErrorKind.Timeout, artifactId,
                $"Artifact '{artifactId}' was still busy (an open, task or undo) after {deadline.TotalSeconds} s (ArtifactOptions.TaskTimeout); it was not closed. Try again once its work is done.", ex);
        }
    }

    /// <summary>The open artifact; opens it first when needed. The caller holds the artifact's gate.</summary>
    private async Task<OpenArtifact> OpenLockedAsync(string artifactId, CancellationToken cancellationToken)
    {
        if (_open.TryGetValue(artifactId, out var open) && !open.Session.IsClosed)
        {
            return open;
        }

        open = await _threads.OpenAsync(artifactId, cancellationToken).ConfigureAwait(false);
        _open[artifactId] = open;
        if (Volatile.Read(ref _disposed) == 1 && _open.TryRemove(new KeyValuePair<string, OpenArtifact>(artifactId, open)))
        {
            // The manager was disposed while this open ran: DisposeAsync may have passed this id already, so the
            // session would be kept by nobody.
            await open.Session.DisposeAsync().ConfigureAwait(false);
            throw new ObjectDisposedException(nameof(ArtifactSessionManager), $"The artifact manager was disposed while artifact '{artifactId}' was being opened.");
        }

        return open;
    }
}
