using System.Text.Json;

namespace CodexRuntime.Web;

/// <summary>
/// What the REST and SSE endpoints of <c>MapCodexRuntime</c> do with sessions, and nothing else: the seam between HTTP
/// and where a session lives. <c>AddWeb</c> registers the process's own <see cref="WebAdapter"/> (every session in this
/// process); a scale-out package registers one that reaches a session wherever it runs (<c>CodexRuntime.Orleans</c>).
/// Every call names the tenant; a session of another tenant is reported exactly like a missing one
/// (<see cref="CodexWebException"/> with <see cref="CodexWebErrorKind.NotFound"/>).
/// </summary>
public interface ICodexWebSessions
{
    /// <summary>Opens a session for <paramref name="tenant"/> (see <see cref="WebAdapter.CreateSessionAsync"/>).</summary>
    /// <param name="tenant">The authenticated tenant.</param>
    /// <param name="body"><c>{ "artifactId": "...", "model"?: "...", "threadId"?: "..." }</c>.</param>
    /// <param name="cancellationToken">Abandons the call.</param>
    /// <returns>The session's id and thread.</returns>
    Task<WebSessionInfo> CreateSessionAsync(string tenant, JsonElement body, CancellationToken cancellationToken = default);

    /// <summary>The session as a client reloads it.</summary>
    /// <param name="tenant">The authenticated tenant.</param>
    /// <param name="sessionId">The session.</param>
    /// <param name="cancellationToken">Abandons the call.</param>
    /// <returns>The state.</returns>
    Task<WebSessionState> GetSessionStateAsync(string tenant, string sessionId, CancellationToken cancellationToken = default);

    /// <summary>Starts a turn; its events follow on <see cref="SubscribeEventsAsync"/>.</summary>
    /// <param name="tenant">The authenticated tenant.</param>
    /// <param name="sessionId">The session.</param>
    /// <param name="body"><c>{ "text": "...", "effort"?: "...", "outputSchema"?: {...}, "attachments"?: [...] }</c>.</param>
    /// <param name="cancellationToken">Abandons the call (not the turn).</param>
    /// <returns>The turn.</returns>
    Task<WebTurnStarted> CreateTurnAsync(string tenant, string sessionId, JsonElement body, CancellationToken cancellationToken = default);

    /// <summary>Interrupts the session's running turn, if any.</summary>
    /// <param name="tenant">The authenticated tenant.</param>
    /// <param name="sessionId">The session.</param>
    /// <param name="cancellationToken">Abandons the call.</param>
    /// <returns>A task that completes when codex took the interrupt.</returns>
    Task InterruptTurnAsync(string tenant, string sessionId, CancellationToken cancellationToken = default);

    /// <summary>Closes the session: interrupts its turn, archives its thread, ends its streams.</summary>
    /// <param name="tenant">The authenticated tenant.</param>
    /// <param name="sessionId">The session.</param>
    /// <param name="cancellationToken">Abandons the call.</param>
    /// <returns>A task that completes when the thread is archived.</returns>
    Task CloseSessionAsync(string tenant, string sessionId, CancellationToken cancellationToken = default);

    /// <summary>Answers one approval, once (see <see cref="WebAdapter.AnswerApprovalAsync"/> for the body).</summary>
    /// <param name="tenant">The authenticated tenant.</param>
    /// <param name="sessionId">The session.</param>
    /// <param name="approvalId">The approval's opaque id.</param>
    /// <param name="body">A decision, a result of the approval's kind, or an error.</param>
    /// <param name="cancellationToken">Abandons the call.</param>
    /// <returns>A task that completes when codex has the answer.</returns>
    Task AnswerApprovalAsync(string tenant, string sessionId, string approvalId, JsonElement body, CancellationToken cancellationToken = default);

    /// <summary>
    /// The session's events after <paramref name="lastEventId"/>, then live, with the resume rules of
    /// <see cref="WebAdapter.SubscribeEventsAsync"/> (a <c>reset</c> when the cursor's next event is no longer kept, a
    /// last <c>end</c> when the session closes).
    /// </summary>
    /// <param name="tenant">The authenticated tenant.</param>
    /// <param name="sessionId">The session.</param>
    /// <param name="lastEventId">The last event the client has (<c>Last-Event-ID</c>).</param>
    /// <param name="cancellationToken">Ends the subscription; the turn goes on.</param>
    /// <returns>The events, in order.</returns>
    IAsyncEnumerable<WebEvent> SubscribeEventsAsync(string tenant, string sessionId, long? lastEventId, CancellationToken cancellationToken = default);

    /// <summary>The session's approval events, with the same resume rules.</summary>
    /// <param name="tenant">The authenticated tenant.</param>
    /// <param name="sessionId">The session.</param>
    /// <param name="lastEventId">The last approval event the client has.</param>
    /// <param name="cancellationToken">Ends the subscription.</param>
    /// <returns>The approval events, in order.</returns>
    IAsyncEnumerable<WebEvent> SubscribeApprovalsAsync(string tenant, string sessionId, long? lastEventId, CancellationToken cancellationToken = default);
}
