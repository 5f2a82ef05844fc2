namespace CodexRuntime.Rpc;

/// <summary>
/// Receives everything the server sends that is not a response: every notification, whatever its method (known or
/// not), and every server request. This is how the runtime sees the connection.
/// </summary>
public interface ICodexMessageObserver
{
    /// <summary>
    /// Called on the connection's reader loop for every notification, in arrival order. It must return quickly and
    /// never block (queue the work); while it runs, no other message, including responses, is read. An exception is
    /// logged and the connection continues.
    /// </summary>
    /// <param name="notification">The notification with its raw JSON.</param>
    void OnNotification(CodexInboundMessage notification);

    /// <summary>
    /// Called on the thread pool, never on the reader loop, for every server request. The returned reply is sent; an
    /// exception is answered with JSON-RPC error -32603. Either way the request is always answered.
    /// </summary>
    /// <param name="request">The request with its id and raw JSON.</param>
    /// <param name="cancellationToken">Cancelled when the connection closes.</param>
    /// <returns>The reply to send; <see cref="CodexServerReply.MethodNotFound"/> for methods the observer does not handle.</returns>
    ValueTask<CodexServerReply> OnServerRequestAsync(CodexInboundMessage request, CancellationToken cancellationToken);
}
