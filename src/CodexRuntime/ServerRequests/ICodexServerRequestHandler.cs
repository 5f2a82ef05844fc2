namespace CodexRuntime.ServerRequests;

/// <summary>
/// Answers one kind of server request. Runs on the thread pool, never on the connection's reader loop. The token is
/// cancelled when the deadline passes, when codex resolves the request itself (<c>serverRequest/resolved</c>, or the
/// turn ending on codex 0.104.0), or when the connection closes; the request is then answered by policy.
/// </summary>
/// <typeparam name="TParams">The request's params.</typeparam>
/// <typeparam name="TResponse">The response.</typeparam>
public interface ICodexServerRequestHandler<TParams, TResponse>
{
    /// <summary>Decides the answer.</summary>
    /// <param name="request">The typed params.</param>
    /// <param name="context">Method, id, thread/turn/item and deadline.</param>
    /// <param name="cancellationToken">Cancelled at the deadline, on resolution, or on close.</param>
    /// <returns>The response to send.</returns>
    ValueTask<TResponse> HandleAsync(TParams request, CodexServerRequestContext context, CancellationToken cancellationToken);
}
