using System.Runtime.CompilerServices;
using System.Text.Json;
using CodexRuntime.Web;
using Orleans;
using Orleans.Concurrency;
using Orleans.Placement;

namespace CodexRuntime.Orleans;

/// <summary>
/// A web session on the silo that opened it: the session itself (its codex thread, event log, replay ring and pending
/// approvals) is this silo's <see cref="WebAdapter"/>'s, opened under the grain's key as its id; the grain is the one address
/// every replica reaches it by, and checks the tenant of every call.
/// </summary>
/// <remarks>
/// <para><c>[PreferLocalPlacement]</c>: the replica that receives the create request activates it on its own silo, so
/// the session runs on that replica's codex (load spreads as the load balancer spreads creates).</para>
/// <para><c>[Immovable]</c>: the codex thread lives in this silo's codex process; rebalancing the activation away
/// would leave the session behind. Moving a session is phase 2 (resume its thread elsewhere).</para>
/// <para><c>[Reentrant]</c>: an event stream's read waits for the next event inside the grain (up to half Orleans'
/// response timeout, then a heartbeat); without interleaving it would hold every turn, approval and state call of the
/// session. The grain's only state is its tenant, set once when the session opens; the adapter is thread-safe.</para>
/// <para>Kept active as long as the session is open (the adapter's session would be orphaned otherwise); a closed
/// session's, or an unknown id's, activation goes at once.</para>
/// </remarks>
[Reentrant]
[PreferLocalPlacement]
[Immovable]
[KeepAlive]
internal sealed class SessionGrain(WebAdapter web) : Grain, ISessionGrain
{
    /// <summary>The session's tenant while it is open here; null before it opens and after it closes.</summary>
    private string? _tenant;

    private string Id => this.GetPrimaryKeyString();

    public async Task<SessionOpened> OpenAsync(string tenant, string body, CancellationToken cancellationToken = default)
    {
        if (_tenant is not null)
        {
            throw new InvalidOperationException("The session grain is open already; session ids are never reused.");
        }

        using var json = JsonDocument.Parse(body);
        try
        {
            var info = await web.CreateSessionWithIdAsync(tenant, Id, json.RootElement, cancellationToken).ConfigureAwait(true);
            _tenant = tenant;
            return new SessionOpened(info.ThreadId);
        }
        catch (CodexWebException ex)
        {
            DeactivateOnIdle();
            throw new SessionRefusedException(ex);
        }
    }

    public Task<string> StateAsync(string tenant, CancellationToken cancellationToken = default) =>
        Refusing(() => Task.FromResult(JsonSerializer.Serialize(web.GetSessionState(Owned(tenant), Id), SessionJsonContext.Default.WebSessionState)));

    public Task<SessionTurn> StartTurnAsync(string tenant, string body, CancellationToken cancellationToken = default) =>
        Refusing(async () =>
        {
            using var json = JsonDocument.Parse(body);
            var started = await web.CreateTurnAsync(Owned(tenant), Id, json.RootElement, cancellationToken).ConfigureAwait(true);
            return new SessionTurn(started.TurnId, started.LastEventId);
        });

    public Task InterruptAsync(string tenant, CancellationToken cancellationToken = default) =>
        Refusing(async () =>
        {
            await web.InterruptTurnAsync(Owned(tenant), Id, cancellationToken).ConfigureAwait(true);
            return true;
        });

    public Task CloseAsync(string tenant, CancellationToken cancellationToken = default) =>
        Refusing(async () =>
        {
            await web.CloseSessionAsync(Owned(tenant), Id, cancellationToken).ConfigureAwait(true);
            _tenant = null;
            DeactivateOnIdle();
            return true;
        });

    public Task AnswerAsync(string tenant, string approvalId, string body, CancellationToken cancellationToken = default) =>
        Refusing(async () =>
        {
            using var json = JsonDocument.Parse(body);
            await web.AnswerApprovalAsync(Owned(tenant), Id, approvalId, json.RootElement).ConfigureAwait(true);
            return true;
        });

    public IAsyncEnumerable<SessionEvent> EventsAsync(string tenant, long? lastEventId, CancellationToken cancellationToken = default) =>
        ReadAsync(tenant, lastEventId, web.SubscribeEventsAsync, cancellationToken);

    public IAsyncEnumerable<SessionEvent> ApprovalsAsync(string tenant, long? lastEventId, CancellationToken cancellationToken = default) =>
        ReadAsync(tenant, lastEventId, web.SubscribeApprovalsAsync, cancellationToken);

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
        IAsyncEnumerable<WebEvent> events;
        try
        {
            events = subscribe(Owned(tenant), Id, lastEventId, cancellationToken);
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

    /// <summary>The tenant, when the session is open here and is theirs; otherwise the answer an unknown id gets.</summary>
    private string Owned(string tenant)
    {
        if (_tenant is null)
        {
            DeactivateOnIdle(); // an unknown id (or a closed session): no activation stays behind for it
            throw SessionRefusedException.NotFound();
        }

        return _tenant == tenant ? tenant : throw SessionRefusedException.NotFound();
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
