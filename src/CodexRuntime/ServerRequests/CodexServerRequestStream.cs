using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace CodexRuntime.ServerRequests;

/// <summary>
/// Server requests as a stream that one consumer reads and answers (<see cref="CodexServerRequest.RespondAsync(System.Text.Json.JsonElement)"/>).
/// Several streams can be open at once, each claiming its own requests by filter (say a web adapter claims the threads
/// it created and the application takes the rest); each request goes to exactly one of them. A request no stream
/// claims goes to the typed handler of its kind, then to the unhandled policy. The deadline applies either way.
/// Dispose to stop claiming: requests queued but not read are handed back and answered by handler or policy.
/// </summary>
public sealed class CodexServerRequestStream : IDisposable
{
    private readonly Channel<CodexServerRequest> _queue = Channel.CreateUnbounded<CodexServerRequest>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });
    private readonly CodexServerRequestRouter _router;
    private int _reading;

    internal CodexServerRequestStream(CodexServerRequestRouter router, Func<CodexServerRequest, bool>? filter)
    {
        _router = router;
        Filter = filter;
    }

    /// <summary>The filter this stream claims requests with; null for the catch-all stream.</summary>
    public Func<CodexServerRequest, bool>? Filter { get; }

    /// <summary>
    /// The requests this stream claimed, in arrival order, until the stream is disposed or the runtime stops. One
    /// consumer at a time: a second concurrent enumeration throws.
    /// </summary>
    /// <param name="cancellationToken">Stops reading (the stream stays open).</param>
    /// <returns>The requests.</returns>
    /// <exception cref="InvalidOperationException">Another consumer is reading this stream.</exception>
    public async IAsyncEnumerable<CodexServerRequest> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _reading, 1) != 0)
        {
            throw new InvalidOperationException(
                "Another consumer is already reading this server-request stream; each request must be answered once. Open a second stream with its own Filter instead.");
        }

        try
        {
            while (await _queue.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (_queue.Reader.TryRead(out var request))
                {
                    if (!request.IsAnswered)
                    {
                        yield return request;
                    }
                }
            }
        }
        finally
        {
            Volatile.Write(ref _reading, 0);
        }
    }

    /// <summary>Stops claiming requests; queued, unread requests go back to the handlers and policies.</summary>
    public void Dispose()
    {
        _router.Remove(this);
        Complete();
    }

    internal bool TryClaim(CodexServerRequest request) => _queue.Writer.TryWrite(request);

    /// <summary>Ends the stream; anything not read yet is released to the other answerers.</summary>
    internal void Complete()
    {
        _queue.Writer.TryComplete();
        while (_queue.Reader.TryRead(out var unread))
        {
            unread.Release();
        }
    }
}
