using System.Security.Cryptography;
using System.Text.Json;
using CodexRuntime.Web;
using Orleans;
using Orleans.Runtime;
using static CodexRuntime.Orleans.GrainCalls;

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
        var opened = await Refused(grains.GetGrain<ISessionGrain>(sessionId).OpenAsync(tenant, GrainCalls.Utf8(body), cancellationToken)).ConfigureAwait(false);
        return new WebSessionInfo(sessionId, opened.ThreadId);
    }

    public async Task<WebSessionState> GetSessionStateAsync(string tenant, string sessionId, CancellationToken cancellationToken = default)
    {
        var json = await Refused(Grain(sessionId).StateAsync(tenant, cancellationToken)).ConfigureAwait(false);
        return JsonSerializer.Deserialize(json, SessionJsonContext.Default.WebSessionState)!;
    }

    public async Task<WebTurnStarted> CreateTurnAsync(string tenant, string sessionId, JsonElement body, CancellationToken cancellationToken = default) =>
        (await Refused(Grain(sessionId).StartTurnAsync(tenant, GrainCalls.Utf8(body), cancellationToken)).ConfigureAwait(false)).ToWeb();

    public Task InterruptTurnAsync(string tenant, string sessionId, CancellationToken cancellationToken = default) =>
        Refused(Grain(sessionId).InterruptAsync(tenant, cancellationToken));

    public Task CloseSessionAsync(string tenant, string sessionId, CancellationToken cancellationToken = default) =>
        Refused(Grain(sessionId).CloseAsync(tenant, cancellationToken));

    public Task AnswerApprovalAsync(string tenant, string sessionId, string approvalId, JsonElement body, CancellationToken cancellationToken = default) =>
        Refused(Grain(sessionId).AnswerAsync(tenant, approvalId, GrainCalls.Utf8(body), cancellationToken));

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
    /// A remote read as the endpoints read a local one (<see cref="GrainCalls.ReadAsync"/>). When the session's silo goes
    /// away mid-stream, the stream ends with <c>end</c> <c>sessionMoving</c>: the client reconnects with its
    /// <c>Last-Event-ID</c>, and the session, resumed on another silo, goes on from there (or says <c>reset</c>).
    /// </summary>
    private IAsyncEnumerable<WebEvent> ReadAsync(IAsyncEnumerable<SessionEvent> events, CancellationToken cancellationToken) =>
        GrainCalls.ReadAsync(events.GetAsyncEnumerator(cancellationToken), started: false, e => e.ToWeb(), last => new WebEvent(last.Id, "end", """{"reason":"sessionMoving"}"""), metrics, cancellationToken);
}
