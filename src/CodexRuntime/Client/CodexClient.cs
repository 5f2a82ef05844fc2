using System.Runtime.CompilerServices;
using CodexRuntime.Diagnostics;
using CodexRuntime.Protocol;
using CodexRuntime.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CodexRuntime;

/// <summary>
/// One codex process shared by any number of sessions (layer 3): one-off runs (<see cref="RunAsync"/>), sessions with
/// memory (<see cref="StartSessionAsync"/>), and resuming or forking threads that codex kept on disk.
/// </summary>
/// <remarks>
/// Nothing starts in the constructor: the process starts on <see cref="ConnectAsync"/> or on the first call that needs
/// it. With a restart policy, open sessions are resumed on the new process after a crash. Disposing stops the process
/// (sessions are let go, not archived, so their threads can be resumed by a later client).
/// </remarks>
/// <example>
/// <code>
/// await using var client = new CodexClient(new ClientConfig());
/// await using var session = await client.StartSessionAsync(new SessionConfig("/repo"));
/// var first = await session.AskAsync("What does this project do?");
/// var second = await session.AskAsync("And how is it tested?"); // same thread: codex remembers the first answer
/// </code>
/// </example>
public sealed class CodexClient : IAsyncDisposable
{
    private readonly SemaphoreSlim _connect = new(1, 1);
    private readonly Lock _gate = new();
    private readonly List<CodexSession> _sessions = [];
    private readonly ILogger _logger;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ClientRecovery _recovery;
    private int _disposed;

    /// <summary>Creates a client; nothing starts until <see cref="ConnectAsync"/> or the first run.</summary>
    /// <param name="config">How to start codex and the default run profile.</param>
    /// <param name="loggerFactory">Logging; none when null.</param>
    public CodexClient(ClientConfig config, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<CodexClient>();
        Runtime = new CodexRuntimeHost(config.Runtime, _loggerFactory);
        _recovery = new ClientRecovery(Runtime, () => Sessions);
    }

    /// <summary>The configuration the client was created with.</summary>
    public ClientConfig Config { get; }

    /// <summary>The runtime under the client (layer 6): events, state, metrics.</summary>
    public CodexRuntimeHost Runtime { get; }

    /// <summary>Typed helpers for every stable codex method (layer 5), on the same process.</summary>
    public AppServer AppServer => Runtime.AppServer;

    /// <summary>The sessions open on this client.</summary>
    public IReadOnlyList<CodexSession> Sessions
    {
        get
        {
            lock (_gate)
            {
                return _sessions.ToArray();
            }
        }
    }

    /// <summary>The codex process id, when connected to a process.</summary>
    public int? ProcessId => Runtime.ConnectionState.ProcessId;

    /// <summary>Starts codex and completes the handshake; does nothing when already connected. Validates the configuration first.</summary>
    /// <param name="cancellationToken">Abandons connecting.</param>
    /// <returns>A task that completes when connected.</returns>
    /// <exception cref="ArgumentException">The configuration is invalid (every problem is listed by setting name).</exception>
    /// <exception cref="CodexConnectException">codex could not be started or the handshake failed.</exception>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        if (Runtime.Status != CodexConnectionStatus.NotStarted)
        {
            return;
        }

        await _connect.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Runtime.Status != CodexConnectionStatus.NotStarted)
            {
                return;
            }

            var problems = Config.Validate();
            if (problems.Count > 0)
            {
                throw new ArgumentException("The codex client configuration is invalid:\n- " + string.Join("\n- ", problems), "config");
            }

            await Runtime.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _connect.Release();
        }
    }

    /// <summary>One prompt in a new thread: start the thread, run one turn, archive the thread.</summary>
    /// <param name="cwd">The working directory (made absolute).</param>
    /// <param name="prompt">What to ask.</param>
    /// <param name="profile">How to run; <see cref="ClientConfig.DefaultProfile"/> when null.</param>
    /// <param name="cancellationToken">Cancels the run (the turn is interrupted).</param>
    /// <returns>The result.</returns>
    /// <exception cref="CodexRunException">The run failed (a failure to archive afterwards is in <see cref="CodexRunException.ShutdownFailure"/>).</exception>
    /// <exception cref="CodexShutdownException">The run succeeded but archiving its thread failed; the result is attached.</exception>
    public Task<PromptRunResult> RunAsync(string cwd, CodexPrompt prompt, RunProfile? profile = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        return PromptRun.RunAsync(this, cwd, prompt, profile, cancellationToken);
    }

    /// <summary>Starts a session: a new thread in <see cref="SessionConfig.Cwd"/>.</summary>
    /// <param name="config">Where and how it runs.</param>
    /// <param name="cancellationToken">Abandons the call.</param>
    /// <returns>The open session.</returns>
    /// <exception cref="CodexPrivilegedEscalationException">The profile asks for a privileged sandbox without meeting the rule (nothing was sent).</exception>
    public Task<CodexSession> StartSessionAsync(SessionConfig config, CancellationToken cancellationToken = default) =>
        OpenNewSessionAsync(config, null, cancellationToken);

    /// <summary>Starts a session whose start phases report into <paramref name="runInterception"/> (a one-off run's own), or its own when null.</summary>
    internal Task<CodexSession> OpenNewSessionAsync(SessionConfig config, CodexRunInterception? runInterception, CancellationToken cancellationToken) =>
        OpenAsync(config, hasHistory: false, CodexMethods.ThreadStart, profile => ThreadRequests.Start(config, profile), started => started.Thread.Id, runInterception, cancellationToken);

    /// <summary>
    /// Resumes a thread codex kept (from this or an earlier process with the same CODEX_HOME): its history continues.
    /// The answer carries no history (read it with <see cref="ReadHistoryAsync"/>), so codex 0.171.0 sends no
    /// deprecation notice.
    /// </summary>
    /// <param name="threadId">The thread to resume.</param>
    /// <param name="config">Where and how it runs from now on.</param>
    /// <param name="cancellationToken">Abandons the call.</param>
    /// <returns>The open session.</returns>
    /// <exception cref="CodexThreadNotFoundException">codex has no record of the thread: a wrong id, another CODEX_HOME, or the thread was archived (see <see cref="CodexThreadNotFoundException.Archived"/>).</exception>
    /// <exception cref="ArgumentException">The session config or its profile is invalid; nothing was sent.</exception>
    /// <exception cref="DirectoryNotFoundException">The cwd does not exist or is a file; nothing was sent.</exception>
    /// <exception cref="CodexPrivilegedEscalationException">The profile asks for a privileged sandbox without meeting the rule (nothing was sent).</exception>
    /// <exception cref="CodexConnectException">codex could not be started.</exception>
    public Task<CodexSession> ResumeSessionAsync(string threadId, SessionConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(threadId);
        return OpenAsync(config, hasHistory: true, CodexMethods.ThreadResume, profile => ThreadRequests.Resume(threadId, config, profile, PagesHistory), resumed => resumed.Thread.Id, null, cancellationToken, threadId);
    }

    /// <summary>Forks a thread: a new thread id that starts with a copy of the source's history; the source is unchanged.</summary>
    /// <param name="threadId">The thread to fork.</param>
    /// <param name="config">Where and how the fork runs.</param>
    /// <param name="cancellationToken">Abandons the call.</param>
    /// <returns>The open session on the new thread.</returns>
    /// <exception cref="CodexThreadNotFoundException">codex has no record of the source thread (a wrong id, another CODEX_HOME, or archived).</exception>
    /// <exception cref="ArgumentException">The session config or its profile is invalid; nothing was sent.</exception>
    /// <exception cref="DirectoryNotFoundException">The cwd does not exist or is a file; nothing was sent.</exception>
    /// <exception cref="CodexPrivilegedEscalationException">The profile asks for a privileged sandbox without meeting the rule (nothing was sent).</exception>
    /// <exception cref="CodexConnectException">codex could not be started.</exception>
    public Task<CodexSession> ForkSessionAsync(string threadId, SessionConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(threadId);
        return OpenAsync(config, hasHistory: true, CodexMethods.ThreadFork, profile => ThreadRequests.Fork(threadId, config, profile, PagesHistory), forked => forked.Thread.Id, null, cancellationToken, threadId);
    }

    /// <summary>
    /// A thread's turns with their items, oldest first, read a page at a time with <c>thread/turns/list</c> (codex
    /// 0.169.0 and later). An older codex has no paging: its whole history comes from <c>thread/read</c>, as one page.
    /// </summary>
    /// <param name="threadId">The thread (open in a session or not; archived threads are not readable).</param>
    /// <param name="pageSize">Turns per request (1 to 1,000).</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The turns, oldest first.</returns>
    /// <exception cref="CodexThreadNotFoundException">codex has no record of the thread.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="pageSize"/> is not between 1 and 1,000.</exception>
    public async IAsyncEnumerable<Turn> ReadHistoryAsync(string threadId, int pageSize = 50, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(threadId);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, 1000);
        await ConnectAsync(cancellationToken).ConfigureAwait(false);
        if (!PagesHistory)
        {
            var read = await ThreadCallAsync(threadId, CodexMethods.ThreadRead, new ThreadReadParams { ThreadId = threadId, IncludeTurns = true }, cancellationToken).ConfigureAwait(false);
            foreach (var turn in read.Thread.Turns)
            {
                yield return turn;
            }

            yield break;
        }

        string? cursor = null;
        do
        {
            var page = await ThreadCallAsync(
                threadId,
                CodexMethods.ThreadTurnsList,
                new ThreadTurnsListParams { ThreadId = threadId, Cursor = cursor, Limit = pageSize, SortDirection = SortDirection.Asc, ItemsView = TurnItemsView.Full },
                cancellationToken).ConfigureAwait(false);
            foreach (var turn in page.Data)
            {
                yield return turn;
            }

            cursor = page.Data.Count == 0 ? null : page.NextCursor;
        }
        while (cursor is not null);
    }

    /// <summary>Whether the connected codex pages a thread's history (<c>thread/turns/list</c>, <c>excludeTurns</c>): 0.169.0 and later.</summary>
    internal bool PagesHistory => Runtime.ConnectionState.Server?.Version is { } version && version >= CodexMethods.ThreadTurnsList.Since;

    /// <summary>A call about an existing thread (resume, fork, read, turns); codex's "no rollout found" / "is archived" becomes <see cref="CodexThreadNotFoundException"/>.</summary>
    private async Task<TResult> ThreadCallAsync<TParams, TResult>(string threadId, CodexMethod<TParams, TResult> method, TParams parameters, CancellationToken cancellationToken, bool privilegedEscalation = false)
    {
        try
        {
            return await Runtime.CallAsync(method, parameters, privilegedEscalation, null, cancellationToken).ConfigureAwait(false);
        }
        catch (CodexInvalidRequestException ex) when (CodexThreadNotFoundException.IsNotFound(ex))
        {
            throw await ThreadNotFoundAsync(threadId, ex, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Tells an archived thread from one codex never had: archived threads are listed with <c>archived: true</c>.</summary>
    private async Task<CodexThreadNotFoundException> ThreadNotFoundAsync(string threadId, CodexRpcException error, CancellationToken cancellationToken)
    {
        if (CodexThreadNotFoundException.SaysArchived(error))
        {
            return new CodexThreadNotFoundException(threadId, true, error);
        }

        bool? archived = null;
        try
        {
            var listed = await Runtime.CallAsync(CodexMethods.ThreadList, new ThreadListParams { Archived = true, Limit = 1000 }, false, null, cancellationToken).ConfigureAwait(false);
            archived = listed.Data.Any(thread => thread.Id == threadId);
        }
        catch (CodexException)
        {
            // The list is a courtesy: without it the error still says what happened.
        }

        return new CodexThreadNotFoundException(threadId, archived, error);
    }

    /// <summary>Lets go of every session (interrupting running turns) and stops codex. Idempotent.</summary>
    /// <returns>A task that completes when the process is gone.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        foreach (var session in Sessions)
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }

        await Runtime.StopAsync().ConfigureAwait(false);
        await _recovery.DisposeAsync().ConfigureAwait(false);
        _connect.Dispose();
    }

    /// <summary>A session was closed or disposed.</summary>
    internal void Forget(CodexSession session)
    {
        lock (_gate)
        {
            _sessions.Remove(session);
        }
    }

    private async Task<CodexSession> OpenAsync<TParams, TResult>(
        SessionConfig config,
        bool hasHistory,
        CodexMethod<TParams, TResult> method,
        Func<RunProfile, TParams> parameters,
        Func<TResult, string> threadIdOf,
        CodexRunInterception? runInterception,
        CancellationToken cancellationToken,
        string? existingThreadId = null)
    {
        var profile = Prepare(config, method.Name, parameters, out var request);
        // A one-off run reports its session start in its own report; a session has a report of its start.
        var interception = runInterception ?? CodexRunInterception.For(Config, profile, Runtime.TimeProvider);
        if (!interception.IsEmpty)
        {
            var pre = await interception.PreAsync(interception.Context(CodexRunPhase.PreSessionStart, config.Cwd, null, null, null, profile.Model), cancellationToken).ConfigureAwait(false);
            if (pre.Model != profile.Model)
            {
                profile.Model = pre.Model;
                request = parameters(profile);
            }
        }

        await ConnectAsync(cancellationToken).ConfigureAwait(false);
        // Built again now that the codex version is known (resume and fork ask for no history where codex pages it).
        request = parameters(profile);
        var opened = existingThreadId is null
            ? await Runtime.CallAsync(method, request, profile.PrivilegedEscalation, null, cancellationToken).ConfigureAwait(false)
            : await ThreadCallAsync(existingThreadId, method, request, cancellationToken, profile.PrivilegedEscalation).ConfigureAwait(false);

        var threadId = threadIdOf(opened);
        await interception.PostAsync(interception.Context(CodexRunPhase.PostSessionStart, config.Cwd, threadId, null, null, profile.Model), cancellationToken).ConfigureAwait(false);
        var session = new CodexSession(this, config, profile, threadId, hasHistory, interception.Report, _loggerFactory.CreateLogger<CodexSession>());
        lock (_gate)
        {
            _sessions.Add(session);
        }

        return session;
    }

    /// <summary>
    /// Everything that can be checked before codex is involved: the session's own copy of its profile is valid, its cwd
    /// exists, and the thread request meets the privileged-escalation rule. A refused session leaves no trace in codex.
    /// </summary>
    internal RunProfile Prepare<TParams>(SessionConfig config, string method, Func<RunProfile, TParams> parameters, out TParams request)
    {
        ArgumentNullException.ThrowIfNull(config);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        // The session owns a copy: changing the client's default later does not change running sessions.
        var profile = (config.Profile ?? Config.DefaultProfile).Clone();
        request = parameters(profile);
        // The safety rule on the profile first, so its own error (naming the rule) is what a privileged profile gets
        // before codex is started; the request itself is checked where every outbound request passes.
        CodexPrivilegedEscalationException.ThrowIfRefused(method, Safety.PrivilegedEscalationRule.Check(method, profile.ToSandboxRequest(), profile.PrivilegedEscalation));
        var problems = profile.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("The run profile is invalid:\n- " + string.Join("\n- ", problems), nameof(config));
        }

        if (File.Exists(config.Cwd))
        {
            throw new DirectoryNotFoundException($"The cwd '{config.Cwd}' is a file, not a folder; pass the folder codex should work in (for example its parent, '{Path.GetDirectoryName(config.Cwd)}').");
        }

        if (!Directory.Exists(config.Cwd))
        {
            throw new DirectoryNotFoundException($"The cwd '{config.Cwd}' does not exist; create it or pass an existing folder.");
        }

        return profile;
    }

    /// <summary><see cref="Prepare{TParams}"/> for a new thread: what QuickRun and Workflow check before they start codex.</summary>
    internal void CheckNewSession(SessionConfig config) =>
        Prepare(config, CodexMethods.ThreadStart.Name, profile => ThreadRequests.Start(config, profile), out _);

    /// <summary>Closes (archives) a session; a failure is logged and returned, not thrown, for the caller to attach to its own outcome.</summary>
    internal async Task<Exception?> TryCloseAsync(CodexSession session)
    {
        try
        {
            await session.CloseAsync().ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (ex is CodexException or OperationCanceledException)
        {
            Log.ArchiveFailed(_logger, session.ThreadId, ex.GetType().Name);
            return ex;
        }
    }
}
