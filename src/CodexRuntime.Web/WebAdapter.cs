using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using CodexRuntime.Web.Sessions;

namespace CodexRuntime.Web;

/// <summary>
/// The web adapter without HTTP: tenants' sessions over one <see cref="CodexClient"/>. Every call names the tenant;
/// a session or approval of another tenant is reported exactly like a missing one. Request bodies are read in their
/// narrow shapes (see the REST endpoints in <c>MapCodexRuntime</c>); sandbox, approval policy and cwd come from
/// <see cref="WebAdapterOptions"/> only.
/// </summary>
public sealed class WebAdapter : ICodexWebSessions, IAsyncDisposable
{
    private readonly CodexClient _client;
    private readonly WebAdapterOptions _options;
    private readonly ConcurrentDictionary<string, WebSession> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Tenant, string ArtifactId), ConcurrentDictionary<string, byte>> _ownedThreads = new();
    private readonly Lock _admission = new();
    private readonly Dictionary<string, int> _opening = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _tenantTurns = new(StringComparer.Ordinal);
    private readonly WebMetrics _metrics;
    private int _runningTurns;
    private int _disposed;

    /// <summary>Creates the adapter.</summary>
    /// <param name="client">The client whose codex runs every session.</param>
    /// <param name="options">What the server decides.</param>
    /// <param name="meterFactory">Where the <c>CodexRuntime.Web</c> meter comes from (DI's); a meter of its own when null.</param>
    /// <exception cref="ArgumentException">The options are invalid (the message lists each problem and its fix).</exception>
    public WebAdapter(CodexClient client, WebAdapterOptions options, System.Diagnostics.Metrics.IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("The web adapter options are invalid:\n- " + string.Join("\n- ", problems), nameof(options));
        }

        var deadline = client.Config.Runtime.ServerRequests.Deadline;
        if (options.ApprovalTimeout > deadline)
        {
            throw new ArgumentException($"The web adapter options are invalid:\n- WebAdapterOptions.ApprovalTimeout is {options.ApprovalTimeout}, longer than the runtime's ServerRequests.Deadline ({deadline}), which answers every approval by policy first; lower ApprovalTimeout or raise ClientConfig.Runtime.ServerRequests.Deadline.", nameof(options));
        }

        _client = client;
        _options = options;
        _metrics = new WebMetrics(meterFactory);
    }

    /// <summary>The options.</summary>
    public WebAdapterOptions Options => _options;

    /// <summary>Turns running now, over all tenants.</summary>
    public int RunningTurns => Volatile.Read(ref _runningTurns);

    /// <summary>Gives the turns' pumps priority over writing to SSE clients (the endpoints' streams write through it).</summary>
    internal DeliveryPacer Pacer { get; } = new();

    /// <summary>The AG-UI threads of every tenant, each on one of the tenant's sessions (<c>MapCodexAGUI</c>).</summary>
    internal AgUiThreads AgUi { get; } = new();

    /// <summary>
    /// The client every session runs on (the AG-UI endpoint reads thread history through it; a scale-out host finds the
    /// threads' rollouts under its CODEX_HOME).
    /// </summary>
    public CodexClient Client => _client;

    /// <summary>Open sessions, over all tenants.</summary>
    public int OpenSessions => _sessions.Count;

    /// <summary>
    /// Opens a session for <paramref name="tenant"/>: a new thread, or (with <c>threadId</c>) a thread this tenant's
    /// earlier session of the same artifact created.
    /// </summary>
    /// <param name="tenant">The authenticated tenant.</param>
    /// <param name="body"><c>{ "artifactId": "...", "model"?: "...", "threadId"?: "..." }</c>.</param>
    /// <param name="cancellationToken">Abandons the call.</param>
    /// <returns>The session's id and thread.</returns>
    /// <exception cref="CodexWebException">The body is not the allowed shape, the thread is not the tenant's, or the tenant has too many sessions.</exception>
    public async Task<WebSessionInfo> CreateSessionAsync(string tenant, JsonElement body, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        var (artifactId, model, threadId) = WebRequests.Session(body, _options);
        return await OpenSessionAsync(tenant, artifactId, model, threadId, [], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <see cref="CreateSessionAsync"/> under an id the caller chose, for a host that routes by it (CodexRuntime.Orleans:
    /// the session's grain key, so every replica finds the session and the events that name it name that id).
    /// </summary>
    /// <param name="tenant">The authenticated tenant.</param>
    /// <param name="sessionId">The id: 1 to 128 ASCII letters, digits, '-' or '_' (it is a URL path segment), unique among this adapter's sessions.</param>
    /// <param name="body"><c>{ "artifactId": "...", "model"?: "...", "threadId"?: "..." }</c>.</param>
    /// <param name="cancellationToken">Abandons the call.</param>
    /// <returns>The session's id and thread.</returns>
    /// <exception cref="ArgumentException">The id is not of that shape.</exception>
    /// <exception cref="CodexWebException">As <see cref="CreateSessionAsync"/>; or a session with that id is open (<see cref="CodexWebErrorKind.ThreadConflict"/>, member <c>sessionId</c>).</exception>
    public async Task<WebSessionInfo> CreateSessionWithIdAsync(string tenant, string sessionId, JsonElement body, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        CheckSessionId(sessionId);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        var (artifactId, model, threadId) = WebRequests.Session(body, _options);
        return await OpenSessionAsync(tenant, artifactId, model, threadId, [], cancellationToken, sessionId).ConfigureAwait(false);
    }

    /// <summary>
    /// Opens again, under its id, a session that ran on another server (CodexRuntime.Orleans moving a session off a
    /// replica that stopped or died): resumes its codex thread on this adapter's codex (whose CODEX_HOME must hold the
    /// thread's rollout), shows its earlier turns in its state, goes on with its event ids after
    /// <see cref="WebSessionResume.LastEventId"/>, and reports its lost turn failed. The caller vouches that the thread is
    /// the tenant's (it kept the session's record); the limits on sessions per tenant apply as for a new session.
    /// </summary>
    /// <param name="tenant">The tenant whose session it is.</param>
    /// <param name="sessionId">The session's id (the shape <see cref="CreateSessionWithIdAsync"/> takes).</param>
    /// <param name="resume">What the session was.</param>
    /// <param name="cancellationToken">Abandons the call.</param>
    /// <returns>The session's id and thread.</returns>
    /// <exception cref="CodexThreadNotFoundException">This codex has no rollout of the thread.</exception>
    /// <exception cref="CodexWebException">A session with that id is open here, or the tenant has too many sessions.</exception>
    public async Task<WebSessionInfo> ResumeSessionWithIdAsync(string tenant, string sessionId, WebSessionResume resume, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        ArgumentNullException.ThrowIfNull(resume);
        CheckSessionId(sessionId);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        return await OpenSessionAsync(tenant, resume.ArtifactId, resume.Model, resume.ThreadId, [], cancellationToken, sessionId, resume).ConfigureAwait(false);
    }

    /// <summary>
    /// Lets the session go from this server without archiving its thread (it moves to another server): its running turn
    /// is interrupted and its streams end with <c>end</c> <c>serverStopping</c>. Unknown ids are ignored.
    /// </summary>
    /// <param name="tenant">The tenant whose session it is.</param>
    /// <param name="sessionId">The session.</param>
    /// <returns>A task that completes when the session is let go.</returns>
    public async Task ReleaseSessionAsync(string tenant, string sessionId)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        if (sessionId is not null && _sessions.TryGetValue(sessionId, out var session) && session.Tenant == tenant)
        {
            await ReleaseSessionAsync(session).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Opens a session from a checked request (the REST body, or an AG-UI thread's first run), under the same limits.
    /// <c>dynamicTools</c> are the client's tools (AG-UI, none over REST): sent as a new thread's dynamic tools (codex
    /// keeps them with the thread, so a resumed one has them already); their calls always come on the session's
    /// turns, whatever <see cref="WebAdapterOptions.ClientAnsweredRequests"/> says.
    /// </summary>
    internal async Task<WebSessionInfo> OpenSessionAsync(string tenant, string artifactId, string? model, string? threadId, IReadOnlyList<Protocol.DynamicToolSpec> dynamicTools, CancellationToken cancellationToken, string? sessionId = null, WebSessionResume? resumed = null)
    {
        if (sessionId is not null && _sessions.ContainsKey(sessionId))
        {
            throw SessionIdTaken(); // before a thread is started for nothing
        }

        if (threadId is not null && resumed is null)
        {
            if (!_ownedThreads.TryGetValue((tenant, artifactId), out var owned) || !owned.ContainsKey(threadId))
            {
                throw new CodexWebException(CodexWebErrorKind.ThreadConflict, "That thread is not one of your sessions of this artifact; leave threadId out to start a new one.", "threadId");
            }

            if (_sessions.Values.Any(s => s.ThreadId == threadId && s.IsOpen))
            {
                throw new CodexWebException(CodexWebErrorKind.ThreadConflict, "That thread is open in another session; use that session, or close it first.", "threadId");
            }
        }

        lock (_admission)
        {
            // Sessions being opened count too, so concurrent requests cannot pass the limit together.
            var opening = _opening.GetValueOrDefault(tenant);
            if (_sessions.Values.Count(s => s.Tenant == tenant && s.IsOpen) + opening >= _options.MaxSessionsPerTenant)
            {
                throw new CodexWebException(CodexWebErrorKind.LimitExceeded, $"You have {_options.MaxSessionsPerTenant} open sessions, the most this server allows; close one first.", retryAfter: _options.RetryAfter);
            }

            _opening[tenant] = opening + 1;
        }

        try
        {
            var profile = _options.Profile.Clone();
            if (model is not null)
            {
                profile.Model = model;
            }

            // The kinds a client answers come on the session's turns, in wire order with their events; the options decide which.
            profile.TurnServerRequests.Clear();
            foreach (var kind in WebApprovalKinds.Other.Where(k => _options.ClientAnsweredRequests.Contains(k.Name)))
            {
                profile.TurnServerRequests.Add(kind.Type.Method);
            }

            var toolCalls = WebApprovalKinds.DynamicToolCall.Type.Method;
            if (dynamicTools.Count > 0 && !profile.TurnServerRequests.Contains(toolCalls))
            {
                profile.TurnServerRequests.Add(toolCalls); // the client declared them to run them: their calls are its to answer
            }

            var config = new SessionConfig(_options.Cwd, profile);
            foreach (var tool in dynamicTools)
            {
                config.DynamicTools.Add(tool);
            }

            var session = threadId is null
                ? await _client.StartSessionAsync(config, cancellationToken).ConfigureAwait(false)
                : await _client.ResumeSessionAsync(threadId, config, cancellationToken).ConfigureAwait(false);
            var web = new WebSession(sessionId ?? NewId(), tenant, artifactId, session, _options, _metrics, Pacer, _client.Config.Runtime.ServerRequests.DeadlinePolicy, resumed);
            if (!_sessions.TryAdd(web.Id, web))
            {
                // Only a caller-chosen id can collide; the thread just opened stays in codex (resumable), unowned.
                await web.DisposeAsync().ConfigureAwait(false);
                throw SessionIdTaken();
            }

            _metrics.SessionOpened();
            _ownedThreads.GetOrAdd((tenant, artifactId), _ => new(StringComparer.Ordinal))[session.ThreadId] = 0;
            return new WebSessionInfo(web.Id, session.ThreadId);
        }
        finally
        {
            lock (_admission)
            {
                _opening[tenant]--;
            }
        }
    }

    /// <summary>Starts a turn in the tenant's session; its events follow on <see cref="SubscribeEventsAsync"/>.</summary>
    /// <param name="tenant">The authenticated tenant.</param>
    /// <param name="sessionId">The session.</param>
    /// <param name="body"><c>{ "text": "...", "effort"?: "...", "outputSchema"?: {...}, "attachments"?: [...] }</c>.</param>
    /// <param name="cancellationToken">Abandons the call (not the turn).</param>
    /// <returns>The turn.</returns>
    /// <exception cref="CodexWebException">Unknown session, closing session, a bad body, a prompt over the limit, too many turns, a turn already running.</exception>
    public async Task<WebTurnStarted> CreateTurnAsync(string tenant, string sessionId, JsonElement body, CancellationToken cancellationToken = default)
    {
        var session = Find(tenant, sessionId);
        var prompt = WebRequests.Turn(body, _options);
        return await StartTurnAsync(tenant, session, prompt, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts a turn from a checked prompt (the REST body, or an AG-UI run's new user messages), under the same limits.</summary>
    internal async Task<WebTurnStarted> StartTurnAsync(string tenant, WebSession session, CodexPrompt prompt, CancellationToken cancellationToken)
    {
        lock (_admission)
        {
            if (_runningTurns >= _options.MaxConcurrentTurns)
            {
                throw new CodexWebException(CodexWebErrorKind.LimitExceeded, $"{_options.MaxConcurrentTurns} turns are running, the most this server allows at once; try again shortly.", retryAfter: _options.RetryAfter);
            }

            var tenantTurns = _tenantTurns.GetValueOrDefault(tenant);
            if (tenantTurns >= _options.MaxConcurrentTurnsPerTenant)
            {
                throw new CodexWebException(CodexWebErrorKind.LimitExceeded, $"You have {tenantTurns} turns running, the most this server allows you at once; wait for one to finish.", retryAfter: _options.RetryAfter);
            }

            _runningTurns++;
            _tenantTurns[tenant] = tenantTurns + 1;
        }

        var released = 0;
        void Release()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                lock (_admission)
                {
                    _runningTurns--;
                    if (--_tenantTurns[tenant] == 0)
                    {
                        _tenantTurns.Remove(tenant); // no entry per tenant that ever ran a turn
                    }
                }
            }
        }

        try
        {
            var turnId = await session.StartTurnAsync(prompt, Release, cancellationToken).ConfigureAwait(false);
            _metrics.TurnStarted();
            return new WebTurnStarted(turnId, session.Events.LastId);
        }
        catch
        {
            Release();
            throw;
        }
    }

    /// <summary>Interrupts the session's running turn, if any.</summary>
    /// <param name="tenant">The authenticated tenant.</param>
    /// <param name="sessionId">The session.</param>
    /// <param name="cancellationToken">Abandons the call.</param>
    /// <returns>A task that completes when codex took the interrupt.</returns>
    public Task InterruptTurnAsync(string tenant, string sessionId, CancellationToken cancellationToken = default) =>
        Find(tenant, sessionId).InterruptAsync(cancellationToken);

    /// <summary>Closes the session: interrupts its turn, archives its thread (on failure it stays active), ends its streams.</summary>
    /// <param name="tenant">The authenticated tenant.</param>
    /// <param name="sessionId">The session.</param>
    /// <param name="cancellationToken">Abandons the call.</param>
    /// <returns>A task that completes when the thread is archived.</returns>
    public async Task CloseSessionAsync(string tenant, string sessionId, CancellationToken cancellationToken = default)
    {
        var session = Find(tenant, sessionId);
        await session.CloseAsync(cancellationToken).ConfigureAwait(false);
        if (_sessions.TryRemove(session.Id, out _))
        {
            _metrics.SessionEnded();
        }
    }

    /// <summary>
    /// Lets an idle session go to make room for another of its tenant (an AG-UI thread not used for the longest): its
    /// thread stays in codex (not archived), so it can be resumed.
    /// </summary>
    internal async Task ReleaseSessionAsync(WebSession session)
    {
        if (_sessions.TryRemove(session.Id, out _))
        {
            await session.DisposeAsync().ConfigureAwait(false);
            _metrics.SessionEnded();
        }
    }

    /// <summary>The session as a client reloads it.</summary>
    /// <param name="tenant">The authenticated tenant.</param>
    /// <param name="sessionId">The session.</param>
    /// <returns>The state.</returns>
    public WebSessionState GetSessionState(string tenant, string sessionId) => Find(tenant, sessionId).State();

    /// <inheritdoc/>
    Task<WebSessionState> ICodexWebSessions.GetSessionStateAsync(string tenant, string sessionId, CancellationToken cancellationToken) =>
        Task.FromResult(GetSessionState(tenant, sessionId));

    /// <inheritdoc/>
    Task ICodexWebSessions.AnswerApprovalAsync(string tenant, string sessionId, string approvalId, JsonElement body, CancellationToken cancellationToken) =>
        AnswerApprovalAsync(tenant, sessionId, approvalId, body);

    /// <summary>
    /// The session's events after <paramref name="lastEventId"/> (0 or null: from the first event, 1), then live,
    /// until the session closes (a last <c>end</c> event says why) or <paramref name="cancellationToken"/> fires. A
    /// cursor whose next event is no longer kept (0 or null included, once event 1 is gone) yields one <c>reset</c>
    /// event (reload the state; it tells the newest turn's status), then goes on live. Subscribers are woken together
    /// and run one after another on the log's wake-up work item: do little per event (write it, queue it), never block.
    /// </summary>
    /// <param name="tenant">The authenticated tenant.</param>
    /// <param name="sessionId">The session.</param>
    /// <param name="lastEventId">The last event the client has (<c>Last-Event-ID</c>).</param>
    /// <param name="cancellationToken">Ends the subscription (the client went away); the turn goes on.</param>
    /// <returns>The events.</returns>
    public IAsyncEnumerable<WebEvent> SubscribeEventsAsync(string tenant, string sessionId, long? lastEventId, CancellationToken cancellationToken = default) =>
        ReadAsync(Find(tenant, sessionId).Events, lastEventId, cancellationToken);

    /// <summary>The session's approvals (<c>approval</c>, <c>approvalResolved</c>), kept until answered, with the same resume rules.</summary>
    /// <param name="tenant">The authenticated tenant.</param>
    /// <param name="sessionId">The session.</param>
    /// <param name="lastEventId">The last approval event the client has.</param>
    /// <param name="cancellationToken">Ends the subscription.</param>
    /// <returns>The approval events.</returns>
    public IAsyncEnumerable<WebEvent> SubscribeApprovalsAsync(string tenant, string sessionId, long? lastEventId, CancellationToken cancellationToken = default) =>
        ReadAsync(Find(tenant, sessionId).ApprovalLog, lastEventId, cancellationToken);

    /// <summary>Answers one approval, once.</summary>
    /// <param name="tenant">The authenticated tenant.</param>
    /// <param name="sessionId">The session.</param>
    /// <param name="approvalId">The approval's opaque id.</param>
    /// <param name="body">
    /// Exactly one of <c>{ "decision": "accept" | "acceptForSession" | "decline" | "cancel" }</c> (command and file
    /// change), <c>{ "result": {...} }</c> (of the approval's <see cref="WebApproval.ResultType"/>) or
    /// <c>{ "error": { "message": "..." } }</c>.
    /// </param>
    /// <returns>A task that completes when codex has the answer.</returns>
    /// <exception cref="CodexWebException">Unknown (or already answered) approval, or an answer its kind does not take.</exception>
    public Task AnswerApprovalAsync(string tenant, string sessionId, string approvalId, JsonElement body)
    {
        var session = Find(tenant, sessionId);
        var answer = WebRequests.ApprovalAnswer(body);
        return session.Approvals.AnswerAsync(approvalId, answer);
    }

    /// <summary>Host shutdown: every stream ends, running turns are interrupted, threads are kept (not archived) so clients can resume them.</summary>
    /// <returns>A task that completes when every session is let go.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        foreach (var session in _sessions.Values)
        {
            await session.DisposeAsync().ConfigureAwait(false);
            _metrics.SessionEnded();
        }

        _sessions.Clear();
        _metrics.Dispose();
    }

    /// <summary>The tenant's session; another tenant's is reported exactly like a missing one.</summary>
    internal WebSession Find(string tenant, string sessionId)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        // Another tenant's session is reported exactly like a missing one.
        return sessionId is not null && _sessions.TryGetValue(sessionId, out var session) && session.Tenant == tenant
            ? session
            : throw CodexWebException.NotFound("session");
    }

    /// <summary>
    /// One client's read of a log from its cursor: the kept events (a batch at a time, into a buffer of its own), a
    /// <c>reset</c> when its next event is no longer kept, and an <c>end</c> when the log is complete. The events are
    /// the log's own instances (their SSE frames formatted once, shared by every client).
    /// </summary>
    private async IAsyncEnumerable<WebEvent> ReadAsync(EventLog log, long? lastEventId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cursor = lastEventId ?? 0;
        var first = true;
        var batch = new List<WebEvent>(256);
        _metrics.ClientConnected();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var read = log.ReadAfter(cursor, batch);
                if (first && lastEventId is > 0)
                {
                    _metrics.Reconnected(read.Reset);
                }

                first = false;
                if (read.Reset)
                {
                    cursor = read.LastId;
                    yield return Reset(read);
                    continue;
                }

                foreach (var e in batch)
                {
                    cursor = e.Id;
                    yield return e;
                }

                if (read.Completed is { } reason)
                {
                    yield return new WebEvent(cursor, "end", new JsonObject { ["reason"] = reason }.ToJsonString());
                    yield break;
                }

                if (batch.Count > 0)
                {
                    continue;
                }

                try
                {
                    await read.Changed.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }
            }
        }
        finally
        {
            batch.Clear(); // the events stay the log's, not this reader's
            _metrics.ClientLeft();
        }
    }

    /// <summary>
    /// A <c>reset</c>: where to go on from, and the newest turn's id and status, so a client that missed a turn's end
    /// (it was reset after it) still learns it from the stream.
    /// </summary>
    private static WebEvent Reset(EventRead read) => new(read.LastId, "reset", new JsonObject
    {
        ["lastEventId"] = read.LastId,
        ["reason"] = "The events after your Last-Event-ID are no longer kept; reload the session state, then go on from this id.",
        ["turn"] = read.Turn is { } turn ? new JsonObject { ["turnId"] = turn.TurnId, ["status"] = turn.Status } : null,
    }.ToJsonString());

    private static void CheckSessionId(string sessionId)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        if (sessionId.Length > 128 || !sessionId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new ArgumentException("A session id is 1 to 128 ASCII letters, digits, '-' or '_'.", nameof(sessionId));
        }
    }

    private static CodexWebException SessionIdTaken() =>
        new(CodexWebErrorKind.ThreadConflict, "A session with that id is open already; open it under another id.", "sessionId");

    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
