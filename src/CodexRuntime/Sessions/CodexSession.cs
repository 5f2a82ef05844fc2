using CodexRuntime.Diagnostics;
using CodexRuntime.Protocol;
using CodexRuntime.State;
using Microsoft.Extensions.Logging;

namespace CodexRuntime;

/// <summary>
/// One codex thread with memory: every <see cref="AskAsync(CodexPrompt, CancellationToken)"/> continues the same conversation. One turn runs at a time;
/// <see cref="SteerAsync(CodexPrompt, CancellationToken)"/> adds input to it and <see cref="InterruptAsync(CancellationToken)"/> stops it. Approval
/// requests of this thread are answered by the profile's typed handlers, a streaming reader, or
/// <see cref="RunProfile.Approvals"/>. After a supervised restart of codex the client resumes the session on the new
/// process and raises <see cref="Recovered"/>.
/// </summary>
/// <remarks>
/// <see cref="CloseAsync"/> archives the thread (idempotent; later calls fail with
/// <see cref="CodexSessionClosedException"/>). <see cref="DisposeAsync"/> only lets go (interrupting a running turn):
/// the thread stays on disk and <see cref="CodexClient.ResumeSessionAsync"/> can pick it up later.
/// </remarks>
public sealed partial class CodexSession : IAsyncDisposable
{
    private static readonly TimeSpan InterruptWait = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private readonly ILogger _logger;
    private string _threadId;
    private readonly SessionTurnSlot _slot = new();
    private bool _hasRunTurn;
    private readonly SessionRecovery _recovery;
    private bool _archived;

    internal CodexSession(CodexClient client, SessionConfig config, RunProfile profile, string threadId, bool hasHistory, IReadOnlyList<CodexInterceptionRecord> startReport, ILogger logger)
    {
        StartInterceptions = startReport;
        Client = client;
        Config = config;
        Profile = profile;
        _threadId = threadId;
        _hasRunTurn = hasHistory;
        _recovery = new SessionRecovery(client.Runtime, client.Config.Runtime.Connection.RequestTimeout);
        _logger = logger;
        Approvals = new SessionApprovals(profile, logger);
    }

    /// <summary>The thread id. It changes only when a session that never ran a turn is recreated after a restart (see <see cref="Recovered"/>).</summary>
    public string ThreadId
    {
        get
        {
            lock (_gate)
            {
                return _threadId;
            }
        }
    }

    /// <summary>The client (and codex process) this session runs on.</summary>
    public CodexClient Client { get; }

    /// <summary>Where and how this session runs.</summary>
    public SessionConfig Config { get; }

    /// <summary>
    /// The session's own copy of its run profile (taken from <see cref="SessionConfig.Profile"/> or the client's
    /// default when the session opened). Changes apply from the next turn; the thread's sandbox and approval policy
    /// were fixed when it opened, each turn sends its own.
    /// </summary>
    public RunProfile Profile { get; }

    /// <summary>The interceptor (hook) calls of the session's start (PreSessionStart, PostSessionStart); each ask's are on its result.</summary>
    public IReadOnlyList<CodexInterceptionRecord> StartInterceptions { get; }

    /// <summary>True after <see cref="CloseAsync"/> or <see cref="DisposeAsync"/>.</summary>
    public bool IsClosed => _slot.IsClosed;

    /// <summary>The turn that runs now, if any.</summary>
    public CodexTurn? ActiveTurn => _slot.Active;

    /// <summary>Whether the thread has history (a turn ran, or it was resumed or forked).</summary>
    private bool HasRunTurn
    {
        get
        {
            lock (_gate)
            {
                return _hasRunTurn;
            }
        }
    }

    /// <summary>Raised after codex was restarted and this session was resumed (or recreated) on the new process.</summary>
    public event EventHandler<CodexSessionRecoveredEventArgs>? Recovered;

    /// <summary>Asks and waits for the answer: one turn, its result mapped to errors by status.</summary>
    /// <param name="prompt">What to ask (a string converts).</param>
    /// <param name="cancellationToken">Cancels the run: the turn is interrupted, then <see cref="OperationCanceledException"/> is thrown.</param>
    /// <returns>The completed turn's result.</returns>
    /// <exception cref="CodexRunFailedException">codex failed the turn.</exception>
    /// <exception cref="CodexRunInterruptedException">The turn was interrupted.</exception>
    /// <exception cref="CodexEmptyResponseException">The turn completed without assistant text.</exception>
    /// <exception cref="CodexRunTimeoutException">The profile's timeout passed (the turn was interrupted).</exception>
    /// <exception cref="CodexAttachmentNotFoundException">An attachment's path does not exist (nothing was sent).</exception>
    /// <exception cref="CodexPrivilegedEscalationException">The profile asks for a privileged sandbox without meeting the rule (nothing was sent).</exception>
    /// <exception cref="CodexSessionClosedException">The session is closed.</exception>
    /// <exception cref="CodexTurnInProgressException">A turn is already running in this session (nothing was sent).</exception>
    public Task<PromptRunResult> AskAsync(CodexPrompt prompt, CancellationToken cancellationToken = default) =>
        AskAsync(prompt, null, cancellationToken);

    /// <summary><see cref="AskAsync(CodexPrompt, CancellationToken)"/> inside a one-off run, whose report the turn's interceptor calls join.</summary>
    internal async Task<PromptRunResult> AskAsync(CodexPrompt prompt, CodexRunInterception? runInterception, CancellationToken cancellationToken)
    {
        var turn = await StartTurnAsync(prompt, streaming: false, runInterception, cancellationToken).ConfigureAwait(false);
        try
        {
            return await turn.GetResultAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await turn.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Starts a turn and returns it at once; read its typed events with <c>await foreach</c> and its result with
    /// <see cref="CodexTurn.GetResultAsync"/>. Approval requests no typed handler takes come as
    /// <see cref="ApprovalRequestedEvent"/>s to answer from the stream, and the server requests the profile names in
    /// <see cref="RunProfile.TurnServerRequests"/> as <see cref="ServerRequestEvent"/>s.
    /// </summary>
    /// <param name="prompt">What to ask.</param>
    /// <param name="cancellationToken">Abandons starting the turn.</param>
    /// <returns>The running turn.</returns>
    public Task<CodexTurn> AskStreamingAsync(CodexPrompt prompt, CancellationToken cancellationToken = default) =>
        StartTurnAsync(prompt, streaming: true, null, cancellationToken);

    /// <summary>Adds input to the running turn (<c>turn/steer</c>); codex takes it into account before the turn ends.</summary>
    /// <param name="input">What to add (attachments allowed).</param>
    /// <param name="cancellationToken">Abandons the call.</param>
    /// <returns>A task that completes when codex accepted the input.</returns>
    /// <exception cref="InvalidOperationException">No turn is running.</exception>
    public Task SteerAsync(CodexPrompt input, CancellationToken cancellationToken = default) =>
        SteerAsync(ActiveTurn ?? throw new InvalidOperationException("No turn is running in this session; use AskAsync to start one."), input, cancellationToken);

    /// <summary>Asks codex to stop the running turn (<c>turn/interrupt</c>); the turn ends as interrupted. Does nothing when no turn runs.</summary>
    /// <param name="cancellationToken">Abandons the call.</param>
    /// <returns>A task that completes when codex accepted the request.</returns>
    public Task InterruptAsync(CancellationToken cancellationToken = default) =>
        ActiveTurn is { } turn ? InterruptAsync(turn, cancellationToken) : Task.CompletedTask;

    /// <summary>
    /// Closes the session: interrupts a running turn and archives the thread (<c>thread/archive</c>). Idempotent; also
    /// archives a session that was only disposed. If archiving fails it can be tried again.
    /// </summary>
    /// <param name="cancellationToken">Abandons the archive call.</param>
    /// <returns>A task that completes when the thread is archived.</returns>
    public async Task CloseAsync(CancellationToken cancellationToken = default)
    {
        if (_slot.MarkClosed("CloseAsync archived its thread"))
        {
            await LetGoAsync().ConfigureAwait(false);
        }

        lock (_gate)
        {
            // Idempotent; and a session that was only disposed can still be archived.
            if (_archived)
            {
                return;
            }

            _archived = true;
        }

        try
        {
            // By id: codex archives from disk, so this needs neither a loaded thread nor a finished recovery (during a
            // restart the call waits for the new process within its deadline).
            await Client.Runtime.CallAsync(CodexMethods.ThreadArchive, new ThreadArchiveParams { ThreadId = ThreadId }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (CodexInvalidRequestException ex) when (!HasRunTurn)
        {
            // codex 0.104.0 writes nothing for a thread until its first turn ("no rollout found"): nothing to archive.
            Log.NothingToArchive(_logger, ThreadId, ex.Message);
        }
        catch
        {
            lock (_gate)
            {
                _archived = false;
            }

            throw;
        }
    }

    /// <summary>Lets go of the session without archiving it (a running turn is interrupted); the thread can be resumed later.</summary>
    /// <returns>A task that completes when released.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_slot.MarkClosed("it was disposed"))
        {
            await LetGoAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"codex session {ThreadId} in {Config.Cwd}";

    internal async Task SteerAsync(CodexTurn turn, CodexPrompt input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        _slot.ThrowIfClosed(ThreadId);
        var items = TurnRequests.Input(input, Config, Profile, includeProfileAttachments: false);
        await Client.Runtime.CallAsync(CodexMethods.TurnSteer, new TurnSteerParams { ThreadId = turn.ThreadId, ExpectedTurnId = turn.TurnId, Input = items }, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    internal Task InterruptAsync(CodexTurn turn, CancellationToken cancellationToken) =>
        Client.Runtime.CallAsync(CodexMethods.TurnInterrupt, new TurnInterruptParams { ThreadId = turn.ThreadId, TurnId = turn.TurnId }, cancellationToken: cancellationToken);

    /// <summary>Interrupts and waits (bounded) for the turn to end; never throws. Returns the ended turn, or null when it did not end in time.</summary>
    internal async Task<CodexTurnSnapshot?> TryInterruptAsync(CodexTurn turn)
    {
        try
        {
            await InterruptAsync(turn, CancellationToken.None).WaitAsync(InterruptWait, Client.Runtime.TimeProvider).ConfigureAwait(false);
            return await Client.Runtime.WaitForTurnAsync(turn.ThreadId, turn.TurnId, InterruptWait).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is CodexException or TimeoutException or OperationCanceledException)
        {
            Log.InterruptFailed(_logger, turn.TurnId, ex.GetType().Name);
            return Client.Runtime.State.FindTurn(turn.TurnId) is { IsCompleted: true } ended ? ended : null;
        }
    }

    /// <summary>The turn ended: the session takes the next one.</summary>
    internal void Release(CodexTurn turn) => _slot.Release(turn);

    /// <summary>The answerers of this session's approvals, which its turns take from their queues.</summary>
    internal SessionApprovals Approvals { get; }

    private async Task<CodexTurn> StartTurnAsync(CodexPrompt prompt, bool streaming, CodexRunInterception? runInterception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        _slot.ThrowIfClosed(ThreadId);
        var interception = runInterception ?? CodexRunInterception.For(Client.Config, Profile, Client.Runtime.TimeProvider);
        var model = Profile.Model;
        if (!interception.IsEmpty)
        {
            // PreTurn may rewrite the prompt, the model and the attachments, or block before anything is sent.
            var pre = await interception.PreAsync(interception.Context(CodexRunPhase.PreTurn, Config.Cwd, ThreadId, null, prompt.Text, model, [.. prompt.Attachments]), cancellationToken).ConfigureAwait(false);
            prompt = prompt.With(pre.Prompt ?? prompt.Text, pre.Attachments);
            model = pre.Model;
        }

        // Attachments are checked before anything is sent or reserved.
        var input = TurnRequests.Input(prompt, Config, Profile, includeProfileAttachments: true);
        await _recovery.WaitAsync(ThreadId, cancellationToken).ConfigureAwait(false);

        _slot.Reserve(ThreadId);
        // The turn's one queue (its events, server requests and completed items, in wire order) opens before turn/start:
        // codex can send the turn's first events and approvals before its response.
        var queue = new TurnEventQueue(streamEvents: streaming, [.. Profile.TurnServerRequests]);
        IDisposable? route = null;
        try
        {
            var threadId = ThreadId;
            route = Client.Runtime.OpenThreadRoute(threadId, queue);

            var start = TurnRequests.Start(threadId, input, prompt, model, Config, Profile);
            var started = await Client.Runtime.CallAsync(CodexMethods.TurnStart, start, Profile.PrivilegedEscalation, null, cancellationToken).ConfigureAwait(false);

            lock (_gate)
            {
                _hasRunTurn = true;
            }

            return _slot.Fill(() => new CodexTurn(this, threadId, started.Turn.Id, Profile.Timeout, queue, route, streaming, interception));
        }
        catch
        {
            route?.Dispose();
            queue.Abandon();
            _slot.Free();
            throw;
        }
    }

    private async Task LetGoAsync()
    {
        if (ActiveTurn is { } turn)
        {
            await turn.DisposeAsync().ConfigureAwait(false);
        }

        Client.Forget(this);
    }
}
