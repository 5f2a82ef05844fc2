using Orleans;

namespace CodexRuntime.Orleans;

/// <summary>
/// One web session, keyed by its id: the operations of <c>ICodexWebSessions</c> for that session, callable from any
/// silo. Every call names the tenant; another tenant's session answers exactly like an unknown one
/// (<see cref="SessionRefusedException"/> with <c>NotFound</c>). Bodies cross as their UTF-8 JSON bytes (the Web package reads
/// them in their narrow shapes where the session lives).
/// </summary>
[Alias("CodexRuntime.Orleans.ISessionGrain")]
internal interface ISessionGrain : IGrainWithStringKey
{
    /// <summary>Opens the session under this grain's key for <paramref name="tenant"/>, on this silo's codex.</summary>
    [Alias("Open")]
    Task<SessionOpened> OpenAsync(string tenant, byte[] body, CancellationToken cancellationToken = default);

    /// <summary>The session's state as JSON (<c>WebSessionState</c>: its approvals carry codex's own JSON params).</summary>
    [Alias("State")]
    Task<string> StateAsync(string tenant, CancellationToken cancellationToken = default);

    /// <summary>Starts a turn.</summary>
    [Alias("StartTurn")]
    Task<SessionTurn> StartTurnAsync(string tenant, byte[] body, CancellationToken cancellationToken = default);

    /// <summary>Interrupts the running turn, if any.</summary>
    [Alias("Interrupt")]
    Task InterruptAsync(string tenant, CancellationToken cancellationToken = default);

    /// <summary>Closes the session; the grain then goes away.</summary>
    [Alias("Close")]
    Task CloseAsync(string tenant, CancellationToken cancellationToken = default);

    /// <summary>Answers one approval, once.</summary>
    [Alias("Answer")]
    Task AnswerAsync(string tenant, string approvalId, byte[] body, CancellationToken cancellationToken = default);

    /// <summary>The session's events after <paramref name="lastEventId"/>, then live (the web adapter's resume rules).</summary>
    [Alias("Events")]
    IAsyncEnumerable<SessionEvent> EventsAsync(string tenant, long? lastEventId, CancellationToken cancellationToken = default);

    /// <summary>The session's approval events after <paramref name="lastEventId"/>, then live.</summary>
    [Alias("Approvals")]
    IAsyncEnumerable<SessionEvent> ApprovalsAsync(string tenant, long? lastEventId, CancellationToken cancellationToken = default);
}
