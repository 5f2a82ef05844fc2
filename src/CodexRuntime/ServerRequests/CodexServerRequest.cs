using System.Text.Json;
using CodexRuntime.Protocol;
using CodexRuntime.Rpc;

namespace CodexRuntime.ServerRequests;

/// <summary>
/// A server request handed to a <see cref="CodexServerRequestStream"/> consumer, to be answered with
/// <see cref="RespondAsync(JsonElement)"/> or <see cref="RespondErrorAsync"/>. It is answered exactly once: by the
/// consumer, or, if the consumer is too late, by the deadline policy (or skipped because codex resolved it
/// otherwise); <see cref="Abandoned"/> then fires and a late reply returns false.
/// </summary>
public sealed class CodexServerRequest
{
    private readonly TaskCompletionSource<CodexServerReply?> _reply = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _abandoned = new();

    internal CodexServerRequest(CodexInboundMessage message, CodexServerRequestContext context)
    {
        Message = message;
        Context = context;
    }

    /// <summary>The method, e.g. <c>item/commandExecution/requestApproval</c>.</summary>
    public string Method => Message.Method;

    /// <summary>The JSON-RPC id codex gave the request.</summary>
    public CodexRequestId Id => Context.Id;

    /// <summary>The thread, if the request names one.</summary>
    public string? ThreadId => Context.ThreadId;

    /// <summary>The turn, if the request names one.</summary>
    public string? TurnId => Context.TurnId;

    /// <summary>The item, if the request names one.</summary>
    public string? ItemId => Context.ItemId;

    /// <summary>When it is answered by the deadline policy if nobody has answered.</summary>
    public DateTimeOffset Deadline => Context.Deadline;

    /// <summary>Ids, arrival time and deadline.</summary>
    public CodexServerRequestContext Context { get; }

    /// <summary>The request as it came off the wire.</summary>
    public CodexInboundMessage Message { get; }

    /// <summary>The raw params.</summary>
    public JsonElement Params => Message.Params;

    /// <summary>Fires when the request no longer needs this consumer's answer: answered by policy at the deadline, resolved by codex, or the connection closed.</summary>
    public CancellationToken Abandoned => _abandoned.Token;

    /// <summary>True once a reply was chosen (by the consumer or by policy).</summary>
    public bool IsAnswered => _reply.Task.IsCompleted;

    /// <summary>True when this is the server request <paramref name="type"/>.</summary>
    /// <param name="type">A server request from <see cref="CodexServerRequests"/>.</param>
    /// <returns>Whether the method matches.</returns>
    public bool Is(CodexServerRequestType type) => Message.Is(type);

    /// <summary>Reads the typed params.</summary>
    /// <typeparam name="TParams">The params type.</typeparam>
    /// <typeparam name="TResponse">The response type.</typeparam>
    /// <param name="type">The server request, e.g. <c>CodexServerRequests.ItemCommandExecutionRequestApproval</c>.</param>
    /// <returns>The params.</returns>
    /// <exception cref="InvalidOperationException">This request is another method.</exception>
    public TParams ReadParams<TParams, TResponse>(CodexServerRequestType<TParams, TResponse> type) => Message.ReadParams(type);

    /// <summary>Answers with a typed result.</summary>
    /// <typeparam name="TParams">The params type.</typeparam>
    /// <typeparam name="TResponse">The response type.</typeparam>
    /// <param name="type">The server request type; must match <see cref="Method"/>.</param>
    /// <param name="response">The response, e.g. an approval decision.</param>
    /// <returns>True when this reply was written to codex; false when the request had already been answered (deadline, resolved) or the connection closed.</returns>
    /// <exception cref="InvalidOperationException"><paramref name="type"/> is not this request's method.</exception>
    public Task<bool> RespondAsync<TParams, TResponse>(CodexServerRequestType<TParams, TResponse> type, TResponse response)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (type.Method != Method)
        {
            throw new InvalidOperationException($"This request is '{Method}'; a '{type.Method}' response does not answer it.");
        }

        return SendAsync(CodexServerReply.FromResult(type, response));
    }

    /// <summary>Answers with a raw JSON result.</summary>
    /// <param name="result">The result object, e.g. <c>{"decision":"accept"}</c>.</param>
    /// <returns>True when this reply was written to codex; false when the request had already been answered or the connection closed.</returns>
    public Task<bool> RespondAsync(JsonElement result) => SendAsync(CodexServerReply.FromResult(result));

    /// <summary>Answers with a JSON-RPC error.</summary>
    /// <param name="code">The error code (see <see cref="CodexRpcErrorCodes"/>).</param>
    /// <param name="message">The message (no secrets: codex may log it).</param>
    /// <param name="data">Optional error data.</param>
    /// <returns>True when this reply was written to codex; false when the request had already been answered or the connection closed.</returns>
    public Task<bool> RespondErrorAsync(int code, string message, JsonElement? data = null) => SendAsync(CodexServerReply.FromError(code, message, data));

    /// <summary>The consumer's reply; null when the stream gave the request back unread.</summary>
    internal Task<CodexServerReply?> Reply => _reply.Task;

    /// <summary>The stream was disposed before the request was read: the dispatcher answers it another way.</summary>
    internal void Release() => _reply.TrySetResult(null);

    /// <summary>
    /// The dispatcher answered with <paramref name="sent"/>. If that was not this consumer's reply (deadline, resolved,
    /// closing), the consumer learns it: <see cref="Abandoned"/> fires and a reply it gave too late reports false.
    /// </summary>
    internal void Finish(CodexServerReply? sent)
    {
        if (_reply.TrySetCanceled())
        {
            _abandoned.Cancel();
            return;
        }

        if (_reply.Task.IsCompletedSuccessfully && _reply.Task.Result is { } mine && !ReferenceEquals(mine, sent))
        {
            mine.Written?.TrySetResult(false);
            _abandoned.Cancel();
        }
    }

    private async Task<bool> SendAsync(CodexServerReply reply)
    {
        reply.Written = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_reply.TrySetResult(reply))
        {
            return false;
        }

        return await reply.Written.Task.ConfigureAwait(false);
    }
}
