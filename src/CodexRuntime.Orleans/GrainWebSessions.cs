using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using CodexRuntime.Web;
using Orleans;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace CodexRuntime.Orleans;

/// <summary>
/// The endpoints' sessions over the cluster: each call goes to the session's grain, on the silo that holds it. A new
/// session's id begins with this silo's token, so its grain is activated here and it runs on this replica's codex.
/// </summary>
internal sealed class GrainWebSessions(IGrainFactory grains, ILocalSiloDetails silo, OrleansSessionMetrics metrics) : ICodexWebSessions
{
    /// <summary>A session id: the silo's token, then 32 random hex characters.</summary>
    private const int IdLength = SessionSiloPlacement.TokenLength + 32;

    public async Task<WebSessionInfo> CreateSessionAsync(string tenant, JsonElement body, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        var sessionId = SessionSiloPlacement.TokenOf(silo.SiloAddress) + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var opened = await Refused(grains.GetGrain<ISessionGrain>(sessionId).OpenAsync(tenant, body.GetRawText(), cancellationToken)).ConfigureAwait(false);
        return new WebSessionInfo(sessionId, opened.ThreadId);
    }

    public async Task<WebSessionState> GetSessionStateAsync(string tenant, string sessionId, CancellationToken cancellationToken = default)
    {
        var json = await Refused(Grain(sessionId).StateAsync(tenant, cancellationToken)).ConfigureAwait(false);
        return JsonSerializer.Deserialize(json, SessionJsonContext.Default.WebSessionState)!;
    }

    public async Task<WebTurnStarted> CreateTurnAsync(string tenant, string sessionId, JsonElement body, CancellationToken cancellationToken = default) =>
        (await Refused(Grain(sessionId).StartTurnAsync(tenant, body.GetRawText(), cancellationToken)).ConfigureAwait(false)).ToWeb();

    public Task InterruptTurnAsync(string tenant, string sessionId, CancellationToken cancellationToken = default) =>
        Refused(Grain(sessionId).InterruptAsync(tenant, cancellationToken));

    public Task CloseSessionAsync(string tenant, string sessionId, CancellationToken cancellationToken = default) =>
        Refused(Grain(sessionId).CloseAsync(tenant, cancellationToken));

    public Task AnswerApprovalAsync(string tenant, string sessionId, string approvalId, JsonElement body, CancellationToken cancellationToken = default) =>
        Refused(Grain(sessionId).AnswerAsync(tenant, approvalId, body.GetRawText(), cancellationToken));

    public IAsyncEnumerable<WebEvent> SubscribeEventsAsync(string tenant, string sessionId, long? lastEventId, CancellationToken cancellationToken = default) =>
        ReadAsync(Grain(sessionId).EventsAsync(tenant, lastEventId, cancellationToken), cancellationToken);

    public IAsyncEnumerable<WebEvent> SubscribeApprovalsAsync(string tenant, string sessionId, long? lastEventId, CancellationToken cancellationToken = default) =>
        ReadAsync(Grain(sessionId).ApprovalsAsync(tenant, lastEventId, cancellationToken), cancellationToken);

    /// <summary>
    /// The session's grain; an id that is not of the shape sessions get is unknown without asking the cluster (no
    /// activation for every string a client sends).
    /// </summary>
    private ISessionGrain Grain(string sessionId) =>
        sessionId is { Length: IdLength } && sessionId.All(char.IsAsciiHexDigitLower)
            ? grains.GetGrain<ISessionGrain>(sessionId)
            : throw SessionRefusedException.NotFound().ToWeb();

    /// <summary>
    /// A remote read as the endpoints read a local one. A client that leaves ends the read at once: a pending pull
    /// (the grain answers one within half the response timeout, with events or a heartbeat) is let finish in the
    /// background, then the grain's enumerator is disposed. When the session's silo goes away mid-stream, the stream
    /// ends with <c>end</c> <c>sessionMoving</c>: the client reconnects with its <c>Last-Event-ID</c>, and the session,
    /// resumed on another silo, goes on from there (or says <c>reset</c>).
    /// </summary>
    private async IAsyncEnumerable<WebEvent> ReadAsync(IAsyncEnumerable<SessionEvent> events, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reader = events.GetAsyncEnumerator(cancellationToken);
        Task<bool>? pending = null;
        long cursor = 0;
        metrics.RemoteStreamOpened();
        try
        {
            while (true)
            {
                pending = Refused(reader.MoveNextAsync().AsTask());
                bool more;
                try
                {
                    more = await pending.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    yield break;
                }
                catch (CodexWebException ex) when (ex.Kind == CodexWebErrorKind.Unavailable && cursor > 0)
                {
                    pending = null; // the read failed: nothing is pending
                    break;
                }

                pending = null;
                if (!more)
                {
                    yield break;
                }

                cursor = reader.Current.Id;
                yield return reader.Current.ToWeb();
            }

            yield return new WebEvent(cursor, "end", """{"reason":"sessionMoving"}""");
        }
        finally
        {
            metrics.RemoteStreamClosed();
            if (pending is null)
            {
                await reader.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                _ = DisposeAfterAsync(pending, reader);
            }
        }
    }

    private static async Task DisposeAfterAsync(Task<bool> pending, IAsyncEnumerator<SessionEvent> reader)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The read was abandoned: its outcome has no reader.
        }

        try
        {
            await reader.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The grain's silo went away: its enumerator went with it.
        }
    }

    private static async Task Refused(Task call)
    {
        try
        {
            await call.ConfigureAwait(false);
        }
        catch (SessionRefusedException ex)
        {
            throw ex.ToWeb();
        }
        catch (Exception ex) when (IsUnreachable(ex))
        {
            throw Unavailable(ex);
        }
    }

    private static async Task<T> Refused<T>(Task<T> call)
    {
        try
        {
            return await call.ConfigureAwait(false);
        }
        catch (SessionRefusedException ex)
        {
            throw ex.ToWeb();
        }
        catch (Exception ex) when (IsUnreachable(ex))
        {
            throw Unavailable(ex);
        }
    }

    /// <summary>
    /// The session's silo went away (or is leaving) and the cluster has not moved the session yet: the call can succeed
    /// shortly, on the silo that resumes it. A stream's enumerator is gone when the grain was deactivated under it (its
    /// silo stopped and drained it).
    /// </summary>
    private static bool IsUnreachable(Exception ex) =>
        ex is SiloUnavailableException or OrleansMessageRejectionException or ConnectionFailedException or TimeoutException or EnumerationAbortedException;

    private static CodexWebException Unavailable(Exception cause) =>
        new(CodexWebErrorKind.Unavailable, $"The server holding this session is not reachable right now (it may be moving to another server); try again in a few seconds. ({cause.GetType().Name})", retryAfter: RetryAfter);

    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);
}
