using System.Text.Json;
using System.Threading.Channels;
using CodexRuntime.Rpc;

namespace CodexRuntime.Testing;

/// <summary>
/// An <see cref="ICodexMessageObserver"/> for tests and small tools: it records every notification and server
/// request in arrival order, lets a test await a particular message, and answers server requests through an optional
/// delegate (JSON-RPC -32601 without one). Everything is kept in memory: use it for tests, not for long-running hosts.
/// </summary>
public sealed class RecordingMessageObserver : ICodexMessageObserver
{
    private readonly Channel<CodexInboundMessage> _live = Channel.CreateUnbounded<CodexInboundMessage>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly List<CodexInboundMessage> _all = [];
    private readonly Lock _gate = new();
    private readonly List<(Func<CodexInboundMessage, bool> Match, TaskCompletionSource<CodexInboundMessage> Waiter)> _waiters = [];

    /// <summary>Answers server requests; when null, each is answered with <see cref="CodexServerReply.MethodNotFound"/>.</summary>
    public Func<CodexInboundMessage, CancellationToken, ValueTask<CodexServerReply>>? ServerRequestHandler { get; set; }

    /// <summary>Every message received so far, in arrival order.</summary>
    public IReadOnlyList<CodexInboundMessage> Messages
    {
        get
        {
            lock (_gate)
            {
                return _all.ToArray();
            }
        }
    }

    /// <summary>Every message as it arrives (an unbounded channel; reading it is optional).</summary>
    public ChannelReader<CodexInboundMessage> Live => _live.Reader;

    /// <summary>Waits for the first message (already received or still to come) that matches.</summary>
    /// <param name="match">The condition.</param>
    /// <param name="timeout">Deadline.</param>
    /// <returns>The message.</returns>
    /// <exception cref="TimeoutException">Nothing matched within the deadline; the message lists the methods that did arrive.</exception>
    public async Task<CodexInboundMessage> WaitForAsync(Func<CodexInboundMessage, bool> match, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(match);
        TaskCompletionSource<CodexInboundMessage> waiter;
        lock (_gate)
        {
            var found = _all.FirstOrDefault(match);
            if (found is not null)
            {
                return found;
            }

            waiter = new TaskCompletionSource<CodexInboundMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, waiter));
        }

        try
        {
            return await waiter.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            var seen = string.Join(", ", Messages.Select(m => m.Method).Distinct());
            throw new TimeoutException($"No matching message within {timeout.TotalSeconds:0.#} s. Methods seen: {seen}");
        }
    }

    /// <summary>Waits for the first message with <paramref name="method"/>.</summary>
    /// <param name="method">The method.</param>
    /// <param name="timeout">Deadline.</param>
    /// <returns>The message.</returns>
    public Task<CodexInboundMessage> WaitForMethodAsync(string method, TimeSpan timeout) =>
        WaitForAsync(m => m.Method == method, timeout);

    /// <inheritdoc />
    public void OnNotification(CodexInboundMessage notification) => Add(notification);

    /// <inheritdoc />
    public ValueTask<CodexServerReply> OnServerRequestAsync(CodexInboundMessage request, CancellationToken cancellationToken)
    {
        Add(request);
        return ServerRequestHandler is { } handler
            ? handler(request, cancellationToken)
            : ValueTask.FromResult(CodexServerReply.MethodNotFound(request.Method));
    }

    /// <summary>A reply with a JSON result parsed from text, for handlers written inline in tests.</summary>
    /// <param name="json">The result JSON, e.g. <c>{"decision":"accept"}</c>.</param>
    /// <returns>The reply.</returns>
    public static CodexServerReply Reply(string json)
    {
        using var document = JsonDocument.Parse(json);
        return CodexServerReply.FromResult(document.RootElement.Clone());
    }

    private void Add(CodexInboundMessage message)
    {
        List<TaskCompletionSource<CodexInboundMessage>> ready = [];
        lock (_gate)
        {
            _all.Add(message);
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(message))
                {
                    ready.Add(_waiters[i].Waiter);
                    _waiters.RemoveAt(i);
                }
            }
        }

        _live.Writer.TryWrite(message);
        foreach (var waiter in ready)
        {
            waiter.TrySetResult(message);
        }
    }
}
