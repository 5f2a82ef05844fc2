using System.Runtime.CompilerServices;
using System.Text.Json;
using CodexRuntime.Web;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Concurrency;
using Orleans.Placement;
using Orleans.Runtime;

namespace CodexRuntime.Orleans;

/// <summary>
/// A web session's address in the cluster, and its record. The session itself (its codex thread, event log, replay
/// ring, pending approvals) is its silo's <see cref="WebAdapter"/>'s, opened under the grain's key as its id; the grain
/// passes each call to it there. The grain's record (<see cref="SessionRecord"/>, in grain storage) is what outlives
/// the silo: when the silo stops or dies, the next call activates the grain on another silo, which writes the kept
/// rollout under its CODEX_HOME, resumes the codex thread (its history with it) and goes on with the event ids.
/// </summary>
/// <remarks>
/// <para><c>[SessionSiloPlacement]</c>: activated on the silo its id names (the one that created it) while that silo is
/// in the cluster; after that, on one silo every replica agrees on (see <see cref="SessionSiloPlacementDirector"/>).</para>
/// <para><c>[Immovable]</c>: the codex thread runs in that silo's codex process; rebalancing the activation away would
/// leave the session behind. A session moves only when its silo goes, through its record.</para>
/// <para><c>[Reentrant]</c>: an event stream's pull waits for the next event inside the grain (up to half Orleans'
/// response timeout, then a heartbeat); without interleaving it would hold every turn, approval and state call. The
/// record's writes are serialized by a lock of their own; the adapter is thread-safe.</para>
/// <para><c>[CollectionAgeLimit(AlwaysActive = true)]</c>: the grain records each turn's end while the session is open
/// here; an idle collection would stop that. Closing the session lets the grain go.</para>
/// </remarks>
[Reentrant]
[SessionSiloPlacement]
[Immovable]
[CollectionAgeLimit(AlwaysActive = true)]
internal sealed class SessionGrain : Grain, ISessionGrain
{
    private const long Reserve = SessionRecordKeeper.Reserve;

    /// <summary>How long a stopping silo waits for an interrupted turn to end after the drain time.</summary>
    private static readonly TimeSpan InterruptWait = TimeSpan.FromSeconds(10);

    private readonly WebAdapter _web;
    private readonly IClusterMembershipService _membership;
    private readonly Rollouts _rollouts;
    private readonly SessionRecordKeeper _record;
    private readonly CodexOrleansOptions _options;
    private readonly OrleansSessionMetrics _metrics;
    private readonly ILogger<SessionGrain> _logger;
    private readonly CancellationTokenSource _letGo = new();
    private readonly HashSet<string> _endedTurns = new(StringComparer.Ordinal);
    private int _starting;
    private Task? _finding;
    private string? _heldFor;
    private Task _recorder = Task.CompletedTask;
    private TaskCompletionSource _turnEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SessionGrain(WebAdapter web, IGrainContext context, IPersistentStateFactory states, IClusterMembershipService membership, ILocalSiloDetails silo, IOptions<CodexOrleansOptions> options, OrleansSessionMetrics metrics, ILogger<SessionGrain> logger)
    {
        _web = web;
        Silo = silo.SiloAddress.ToParsableString();
        _membership = membership;
        _rollouts = new Rollouts(web);
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
        // Created here, not in OnActivateAsync: the state joins the activation's lifecycle and is read before any call.
        var state = states.Create<SessionRecord>(context, new PersistentStateAttribute("session", _options.StorageName));
        _record = new SessionRecordKeeper(state, _rollouts, logger, () => Id);
    }

    private string Id => this.GetPrimaryKeyString();

    /// <summary>This silo, as the record names its holder.</summary>
    private string Silo { get; }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _metrics.Activated();
        return Task.CompletedTask;
    }

    /// <summary>
    /// A stopping silo (a rolling deploy) drains the session's running turn up to the drain time, then interrupts it,
    /// keeps the record with the exact last event id (a client that reconnects elsewhere goes on without a reset) and
    /// lets the session go, its thread kept for the silo that resumes it. Any other deactivation leaves the session open
    /// in this silo's adapter: the grain's next activation is placed here and finds it.
    /// </summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_heldFor is { } tenant && reason.ReasonCode == DeactivationReasonCode.ShuttingDown)
        {
            await DrainAsync(tenant, cancellationToken).ConfigureAwait(true);
        }

        await StopRecorderAsync().ConfigureAwait(true);
        if (_heldFor is not null)
        {
            _metrics.LetGo(); // still open in this silo's adapter; the next activation here holds it again
        }
    }

    public async Task<SessionOpened> OpenAsync(string tenant, byte[] body, CancellationToken cancellationToken = default)
    {
        if (_record.State.Tenant is not null)
        {
            throw new SessionRefusedException(new CodexWebException(CodexWebErrorKind.ThreadConflict, "A session with that id is open already; open it under another id.", "sessionId"));
        }

        using var json = JsonDocument.Parse(body);
        WebSessionInfo info;
        try
        {
            info = await _web.CreateSessionWithIdAsync(tenant, Id, json.RootElement, cancellationToken).ConfigureAwait(true);
        }
        catch (CodexWebException ex)
        {
            DeactivateOnIdle();
            throw new SessionRefusedException(ex);
        }

        var state = _web.GetSessionState(tenant, Id);
        var model = json.RootElement.TryGetProperty("model", out var named) && named.ValueKind == JsonValueKind.String ? named.GetString() : null;
        try
        {
            await _record.WriteAsync(r =>
            {
                r.Tenant = tenant;
                r.ArtifactId = state.ArtifactId;
                r.Model = model;
                r.ThreadId = info.ThreadId;
                r.Holder = Silo;
                r.LastEventId = state.LastEventId;
                r.EventFloor = state.LastEventId + Reserve;
            }).ConfigureAwait(true);
        }
        catch (Exception ex)
        {
            // Without its record the session could not outlive this silo: it is not opened at all.
            await _web.ReleaseSessionAsync(tenant, Id).ConfigureAwait(true);
            DeactivateOnIdle();
            OrleansLog.RecordNotWritten(_logger, ex, Id);
            throw SessionRefusedException.Unavailable("The session's record could not be stored; try again shortly.");
        }

        Hold(tenant, state.LastEventId);
        return new SessionOpened(info.ThreadId);
    }

    public async Task<string> StateAsync(string tenant, CancellationToken cancellationToken = default)
    {
        await HereAsync(tenant).ConfigureAwait(true);
        return await Refusing(() => Task.FromResult(JsonSerializer.Serialize(_web.GetSessionState(tenant, Id), SessionJsonContext.Default.WebSessionState))).ConfigureAwait(true);
    }

    public async Task<SessionTurn> StartTurnAsync(string tenant, byte[] body, CancellationToken cancellationToken = default)
    {
        await HereAsync(tenant).ConfigureAwait(true);
        _starting++;
        WebTurnStarted started;
        try
        {
            // Ids are reserved before the turn can use one: a silo that dies from here on makes the next one go on
            // after the reserve.
            var last = TryState(tenant)?.LastEventId ?? 0;
            await _record.TryWriteAsync(r =>
            {
                r.Busy = true;
                r.EventFloor = Math.Max(r.EventFloor, last + Reserve);
            }).ConfigureAwait(true);
            started = await Refusing(async () =>
            {
                using var json = JsonDocument.Parse(body);
                return await _web.CreateTurnAsync(tenant, Id, json.RootElement, cancellationToken).ConfigureAwait(true);
            }).ConfigureAwait(true);

            // Kept before the caller hears of the turn: a silo that dies with it makes the next one report it failed.
            await _record.TryWriteAsync(r =>
            {
                if (!_endedTurns.Contains(started.TurnId))
                {
                    r.RunningTurnId = started.TurnId;
                }
            }).ConfigureAwait(true);
        }
        finally
        {
            _starting--;
        }

        return new SessionTurn(started.TurnId, started.LastEventId);
    }

    public async Task InterruptAsync(string tenant, CancellationToken cancellationToken = default)
    {
        await HereAsync(tenant).ConfigureAwait(true);
        await Refusing(async () =>
        {
            await _web.InterruptTurnAsync(tenant, Id, cancellationToken).ConfigureAwait(true);
            return true;
        }).ConfigureAwait(true);
    }

    public async Task CloseAsync(string tenant, CancellationToken cancellationToken = default)
    {
        await HereAsync(tenant).ConfigureAwait(true);
        await Refusing(async () =>
        {
            await _web.CloseSessionAsync(tenant, Id, cancellationToken).ConfigureAwait(true);
            return true;
        }).ConfigureAwait(true);
        await StopRecorderAsync().ConfigureAwait(true);
        _heldFor = null;
        _metrics.LetGo();
        await _record.ClearAsync().ConfigureAwait(true);
        DeactivateOnIdle();
    }

    public async Task AnswerAsync(string tenant, string approvalId, byte[] body, CancellationToken cancellationToken = default)
    {
        await HereAsync(tenant).ConfigureAwait(true);
        await Refusing(async () =>
        {
            using var json = JsonDocument.Parse(body);
            await _web.AnswerApprovalAsync(tenant, Id, approvalId, json.RootElement).ConfigureAwait(true);
            return true;
        }).ConfigureAwait(true);
    }

    public IAsyncEnumerable<SessionEvent> EventsAsync(string tenant, long? lastEventId, CancellationToken cancellationToken = default) =>
        ReadAsync(tenant, lastEventId, _web.SubscribeEventsAsync, cancellationToken);

    public IAsyncEnumerable<SessionEvent> ApprovalsAsync(string tenant, long? lastEventId, CancellationToken cancellationToken = default) =>
        ReadAsync(tenant, lastEventId, _web.SubscribeApprovalsAsync, cancellationToken);

    /// <summary>
    /// One client's read of a log, from its cursor, in the log's order: Orleans pulls it in batches of the events ready
    /// (a slow client pulls less often: back-pressure), and the cursor is the client's own.
    /// </summary>
    private async IAsyncEnumerable<SessionEvent> ReadAsync(
        string tenant,
        long? lastEventId,
        Func<string, string, long?, CancellationToken, IAsyncEnumerable<WebEvent>> subscribe,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await HereAsync(tenant).ConfigureAwait(true);
        IAsyncEnumerable<WebEvent> events;
        try
        {
            events = subscribe(tenant, Id, lastEventId, cancellationToken);
        }
        catch (CodexWebException ex)
        {
            throw new SessionRefusedException(ex);
        }

        await foreach (var e in events.WithCancellation(cancellationToken).ConfigureAwait(true))
        {
            yield return SessionEvent.From(e);
        }
    }

    /// <summary>
    /// Returns when the session is open in this silo's adapter for <paramref name="tenant"/>: found there (the grain was
    /// activated here again), or resumed here from its record (its silo stopped or died). Another tenant's session, and
    /// a key with no record, are refused exactly like an unknown id. One finding at a time; concurrent calls share it.
    /// </summary>
    private async Task HereAsync(string tenant)
    {
        if (_heldFor is null)
        {
            var finding = _finding ??= FindOrResumeAsync(tenant);
            try
            {
                await finding.ConfigureAwait(true);
            }
            catch
            {
                if (ReferenceEquals(_finding, finding))
                {
                    _finding = null; // the next call tries again
                }

                throw;
            }
        }

        if (!string.Equals(_heldFor, tenant, StringComparison.Ordinal))
        {
            throw SessionRefusedException.NotFound();
        }
    }

    private async Task FindOrResumeAsync(string caller)
    {
        var record = _record.State;
        // Open here already: the grain was activated again on the session's silo. Its record may even be gone (memory
        // storage lives in the silos: one that left took it), so the adapter, which checks the caller's tenant, is
        // asked first, and a lost record is written again from the session.
        var owner = record.Tenant ?? caller;
        if (TryState(owner) is { } here)
        {
            if (record.Tenant is null)
            {
                await _record.TryWriteAsync(r =>
                {
                    r.Tenant = owner;
                    r.ArtifactId = here.ArtifactId;
                    r.ThreadId = here.ThreadId;
                    r.Holder = Silo;
                    r.Busy = here.ActiveTurnId is not null;
                    r.RunningTurnId = here.ActiveTurnId;
                    r.LastEventId = here.LastEventId;
                    r.EventFloor = here.LastEventId + Reserve;
                }).ConfigureAwait(true);
            }

            Hold(owner, here.LastEventId);
            return;
        }

        if (record.Holder is { } holder && holder != Silo)
        {
            // Read again: this activation may have been made (and its record read) while the holder still drained it.
            await _record.RefreshAsync().ConfigureAwait(true);
            record = _record.State;
            if (record.Holder is { } still && still != Silo && IsInCluster(still))
            {
                throw SessionRefusedException.Unavailable("The session is moving off a server that is stopping; try again in a few seconds.");
            }
        }

        if (record.Tenant is not { } tenant || record.ArtifactId is null)
        {
            DeactivateOnIdle(); // an unknown id (or a closed session): no activation stays behind for it
            throw SessionRefusedException.NotFound();
        }

        await ResumeHereAsync(tenant, record).ConfigureAwait(true); // not here: its silo stopped or died
    }

    /// <summary>
    /// Resumes the session on this silo from its record: its kept rollout written under this CODEX_HOME, its thread
    /// resumed (a new one if no turn's history was kept), its turns shown, its ids going on after the record's floor,
    /// and the turn that was running reported failed.
    /// </summary>
    private async Task ResumeHereAsync(string tenant, SessionRecord record)
    {
        var threadId = record.Rollout is { } rollout && record.RolloutPath is { } path ? Restore(path, rollout, record.ThreadId) : null;
        var resume = _record.Resume(threadId);
        WebSessionInfo info;
        try
        {
            info = await _web.ResumeSessionWithIdAsync(tenant, Id, resume).ConfigureAwait(true);
        }
        catch (CodexThreadNotFoundException ex) when (threadId is not null)
        {
            OrleansLog.HistoryLost(_logger, ex, Id, threadId);
            info = await _web.ResumeSessionWithIdAsync(tenant, Id, resume with { ThreadId = null }).ConfigureAwait(true);
        }
        catch (CodexWebException ex)
        {
            throw new SessionRefusedException(ex);
        }

        _metrics.Moved();
        if (resume.LostTurnId is not null)
        {
            _metrics.TurnLost();
        }

        OrleansLog.Resumed(_logger, Id, info.ThreadId, resume.LostTurnId);
        Hold(tenant, resume.LastEventId); // the recorder sees the lost turn's event and keeps the record idle and exact after it
        await _record.TryWriteAsync(r =>
        {
            r.ThreadId = info.ThreadId;
            r.Holder = Silo;
            r.Moves++;
        }).ConfigureAwait(true);
        await KeepAsync(tenant).ConfigureAwait(true);
    }

    private string? Restore(string path, byte[] rollout, string? threadId)
    {
        try
        {
            _rollouts.Write(path, rollout);
            return threadId;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or InvalidDataException)
        {
            OrleansLog.HistoryLost(_logger, ex, Id, threadId);
            return null;
        }
    }

    /// <summary>The session is open here: its turns' ends are recorded from <paramref name="after"/> on.</summary>
    private void Hold(string tenant, long after)
    {
        _heldFor = tenant;
        _metrics.Held();
        _recorder = RecordAsync(tenant, after, _letGo.Token);
    }

    /// <summary>
    /// Follows the session's log on this silo: each turn's end keeps the rollout, the turns and the floor in the record
    /// (and wakes a drain), and the floor is written ahead again when half its reserve is used.
    /// </summary>
    private async Task RecordAsync(string tenant, long after, CancellationToken letGo)
    {
        try
        {
            await foreach (var e in _web.SubscribeEventsAsync(tenant, Id, after, letGo).ConfigureAwait(true))
            {
                if (e.Kind is "reset" or "end")
                {
                    continue; // the reader's own notes, not the session's events
                }

                _record.Remember(SessionEvent.From(e));
                if (e.Kind == "turnCompleted")
                {
                    using var data = JsonDocument.Parse(e.Data);
                    var turnId = data.RootElement.GetProperty("turnId").GetString() ?? "";
                    _endedTurns.Add(turnId);
                    await KeepAsync(tenant, ended: turnId).ConfigureAwait(true);
                    var ended = _turnEnded;
                    _turnEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
                    ended.TrySetResult();
                }
                else if (e.Id > _record.State.EventFloor - (Reserve / 2))
                {
                    var id = e.Id;
                    await _record.TryWriteAsync(r => r.EventFloor = Math.Max(r.EventFloor, id + Reserve)).ConfigureAwait(true);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or CodexWebException or ObjectDisposedException)
        {
            // The session was let go, closed, or the adapter stopped: nothing more to record.
        }
    }

    /// <summary>
    /// A turn ended (<paramref name="ended"/>), or the session is let go: the record keeps the rollout and turns, and is
    /// exact when no turn runs or starts. The turn whose end this is may still show as active: its pump lets it go just
    /// after recording its end.
    /// </summary>
    private async Task KeepAsync(string tenant, bool letGo = false, string? ended = null)
    {
        if (TryState(tenant) is { } state)
        {
            var idle = (state.ActiveTurnId is null || state.ActiveTurnId == ended) && _starting == 0;
            await _record.KeepAsync(state, idle, letGo).ConfigureAwait(true);
        }
    }

    /// <summary>Waits for the running turn to end (up to the drain time, then interrupts it), keeps the record exact, lets the session go.</summary>
    private async Task DrainAsync(string tenant, CancellationToken cancellationToken)
    {
        var running = TryState(tenant)?.ActiveTurnId;
        if (running is not null && !await TurnEndedAsync(running, _options.DrainTimeout, cancellationToken).ConfigureAwait(true))
        {
            OrleansLog.DrainInterrupting(_logger, Id, running, _options.DrainTimeout);
            try
            {
                await _web.InterruptTurnAsync(tenant, Id, cancellationToken).ConfigureAwait(true);
            }
            catch (Exception ex) when (ex is CodexException or OperationCanceledException)
            {
                OrleansLog.DrainFailed(_logger, ex, Id);
            }

            await TurnEndedAsync(running, InterruptWait, cancellationToken).ConfigureAwait(true);
        }

        await StopRecorderAsync().ConfigureAwait(true);
        await KeepAsync(tenant, letGo: true).ConfigureAwait(true); // no event follows: the session is let go next

        await _web.ReleaseSessionAsync(tenant, Id).ConfigureAwait(true);
        _heldFor = null;
        _metrics.LetGo();
    }

    /// <summary>Whether the recorder saw the turn's end within the time (its end is then in the record's events).</summary>
    private async Task<bool> TurnEndedAsync(string turnId, TimeSpan within, CancellationToken cancellationToken)
    {
        // One timer for the whole wait, stopped when the turn ends (not left running to the end of the drain time).
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(within);
        while (!_endedTurns.Contains(turnId))
        {
            try
            {
                await _turnEnded.Task.WaitAsync(deadline.Token).ConfigureAwait(true);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                return _endedTurns.Contains(turnId);
            }
        }

        return true;
    }

    /// <summary>Whether the silo is still a member (a dead one is declared so by the cluster's membership).</summary>
    private bool IsInCluster(string silo) =>
        _membership.CurrentSnapshot.GetSiloStatus(SiloAddress.FromParsableString(silo)) is SiloStatus.Active or SiloStatus.Joining or SiloStatus.ShuttingDown or SiloStatus.Stopping or SiloStatus.Created;

    private WebSessionState? TryState(string tenant)
    {
        try
        {
            return _web.GetSessionState(tenant, Id);
        }
        catch (Exception ex) when (ex is CodexWebException or ObjectDisposedException)
        {
            return null;
        }
    }

    private async Task StopRecorderAsync()
    {
        await _letGo.CancelAsync().ConfigureAwait(true);
        await _recorder.ConfigureAwait(true); // it ends its write first; it never throws
    }

    private static async Task<T> Refusing<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(true);
        }
        catch (CodexWebException ex)
        {
            throw new SessionRefusedException(ex);
        }
    }
}
