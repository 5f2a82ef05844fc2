using System.Runtime.CompilerServices;
using System.Text.Json;
using CodexRuntime.Web;
using Orleans;
using Orleans.Concurrency;
using Orleans.Placement;

namespace CodexRuntime.Orleans;

/// <summary>
/// A web session's address in the cluster: the session itself (its codex thread, event log, replay ring, pending
/// approvals and tenant) is its silo's <see cref="WebAdapter"/>'s, opened under the grain's key as its id, and the grain
/// passes each call to it there. It keeps no state of its own: the adapter checks the tenant of every call (another
/// tenant's session answers exactly like an unknown one), so an activation that Orleans makes again finds the session
/// as it was.
/// </summary>
/// <remarks>
/// <para><c>[SessionSiloPlacement]</c>: activated on the silo its id names, the one whose replica received the create
/// request (load spreads as the load balancer spreads creates). <c>[PreferLocalPlacement]</c> was not enough: Orleans
/// activates a grain again after an idle collection, or when its directory entry was lost because another silo left,
/// and it then landed on the caller's silo, where the session is unknown (a 404 through another replica, tested).
/// Keeping the tenant in the grain failed the same way: a replica leaving cost a session its grain's tenant.</para>
/// <para><c>[Immovable]</c>: the codex thread lives in that silo's codex process; rebalancing the activation away
/// would leave the session behind. Moving a session is phase 2 (resume its thread elsewhere).</para>
/// <para><c>[Reentrant]</c>: an event stream's pull waits for the next event inside the grain (up to half Orleans'
/// response timeout, then a heartbeat); without interleaving it would hold every turn, approval and state call of the
/// session. The grain has no state to guard; the adapter is thread-safe.</para>
/// </remarks>
[Reentrant]
[SessionSiloPlacement]
[Immovable]
internal sealed class SessionGrain(WebAdapter web) : Grain, ISessionGrain
{
    private string Id => this.GetPrimaryKeyString();

    public async Task<SessionOpened> OpenAsync(string tenant, string body, CancellationToken cancellationToken = default)
    {
        using var json = JsonDocument.Parse(body);
        try
        {
            var info = await web.CreateSessionWithIdAsync(tenant, Id, json.RootElement, cancellationToken).ConfigureAwait(true);
            return new SessionOpened(info.ThreadId);
        }
        catch (CodexWebException ex)
        {
            DeactivateOnIdle();
            throw new SessionRefusedException(ex);
        }
    }

    public Task<string> StateAsync(string tenant, CancellationToken cancellationToken = default) =>
        Refusing(() => Task.FromResult(JsonSerializer.Serialize(web.GetSessionState(tenant, Id), SessionJsonContext.Default.WebSessionState)));

    public Task<SessionTurn> StartTurnAsync(string tenant, string body, CancellationToken cancellationToken = default) =>
        Refusing(async () =>
        {
            using var json = JsonDocument.Parse(body);
            var started = await web.CreateTurnAsync(tenant, Id, json.RootElement, cancellationToken).ConfigureAwait(true);
            return new SessionTurn(started.TurnId, started.LastEventId);
        });

    public Task InterruptAsync(string tenant, CancellationToken cancellationToken = default) =>
        Refusing(async () =>
        {
            await web.InterruptTurnAsync(tenant, Id, cancellationToken).ConfigureAwait(true);
            return true;
        });

    public Task CloseAsync(string tenant, CancellationToken cancellationToken = default) =>
        Refusing(async () =>
        {
            await web.CloseSessionAsync(tenant, Id, cancellationToken).ConfigureAwait(true);
            DeactivateOnIdle();
            return true;
        });

    public Task AnswerAsync(string tenant, string approvalId, string body, CancellationToken cancellationToken = default) =>
        Refusing(async () =>
        {
            using var json = JsonDocument.Parse(body);
            await web.AnswerApprovalAsync(tenant, Id, approvalId, json.RootElement).ConfigureAwait(true);
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
            events = subscribe(tenant, Id, lastEventId, cancellationToken);
        }
        catch (CodexWebException ex)
        {
            if (ex.Kind == CodexWebErrorKind.NotFound)
            {
                DeactivateOnIdle();
            }

            throw new SessionRefusedException(ex);
        }

        await foreach (var e in events.WithCancellation(cancellationToken).ConfigureAwait(true))
        {
            yield return SessionEvent.From(e);
        }
    }

    private async Task<T> Refusing<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(true);
        }
        catch (CodexWebException ex)
        {
            if (ex.Kind == CodexWebErrorKind.NotFound)
            {
                DeactivateOnIdle(); // an unknown id (or a closed session): no activation stays behind for it
            }

            throw new SessionRefusedException(ex);
        }
    }
}
