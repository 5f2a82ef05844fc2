using System.Buffers;
using System.Globalization;
using CodexRuntime.Web.Sessions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace CodexRuntime.Web;

/// <summary>
/// A session log as a Server-Sent Events response: the events' shared UTF-8 frames written straight to the response
/// (several ready ones per flush), heartbeats when idle, and a last <c>end</c> event when the session closes or the
/// host stops (the stream ends at once then, instead of holding shutdown). Nothing is serialized or encoded per
/// client: each frame was formatted once, when its event was appended to the log.
/// </summary>
/// <param name="subscribe">The client's read of the log, ended by the token.</param>
/// <param name="pacer">Where the client takes its turn at writing, behind the turns' pumps.</param>
/// <param name="interval">How long an idle stream waits before a heartbeat.</param>
/// <param name="time">The heartbeat's clock.</param>
/// <param name="hostStopping">Ends every stream when the host stops.</param>
internal sealed class SessionEventStream(Func<CancellationToken, IAsyncEnumerable<WebEvent>> subscribe, DeliveryPacer pacer, TimeSpan interval, TimeProvider time, CancellationToken hostStopping) : IResult
{
    /// <summary>
    /// Unflushed bytes above which a batch is flushed before the next ready frame: a client far behind catches up in
    /// writes of this size, not in one write of the whole log.
    /// </summary>
    private const int FlushBytes = 32 * 1024;

    private static readonly byte[] ServerStopping = SseFrame.Format(null, "end", """{"reason":"serverStopping"}""");

    /// <summary>When this stream took its writer slot; null while it holds none.</summary>
    private long? _slot;

    /// <summary>
    /// Where the client is: the <c>Last-Event-ID</c> header (an EventSource's own reconnect), else the
    /// <c>lastEventId</c> query parameter (a page that reloaded the state and opens a new EventSource, which cannot set
    /// headers). The header wins: a reconnect of that EventSource keeps the URL's older id but sends the newer header.
    /// </summary>
    public static long? LastEventId(HttpContext http) =>
        Parse(http.Request.Headers["Last-Event-ID"].ToString()) ?? Parse(http.Request.Query["lastEventId"].ToString());

    /// <summary>Writes the stream until the log ends, the client goes away or the host stops.</summary>
    /// <param name="httpContext">The request.</param>
    /// <returns>A task that completes when the response is over.</returns>
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache,no-store";
        response.Headers.Pragma = "no-cache";
        response.Headers.ContentEncoding = "identity"; // a compressing middleware would hold frames back
        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        var requestAborted = httpContext.RequestAborted;
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, hostStopping);
        var writer = response.BodyWriter;
        var reader = subscribe(ending.Token).GetAsyncEnumerator(ending.Token);
        Task<bool>? pending = null;
        try
        {
            // The headers now, so a client knows it is connected (EventSource's open) before the first event, which
            // on a quiet session may be a long way off.
            await response.StartAsync(ending.Token).ConfigureAwait(false);
            if ((await writer.FlushAsync(ending.Token).ConfigureAwait(false)).IsCompleted)
            {
                return;
            }

            var ended = false;
            var next = reader.MoveNextAsync();
            while (true)
            {
                bool more;
                if (next.IsCompleted)
                {
                    more = next.GetAwaiter().GetResult();
                }
                else
                {
                    // Nothing more is ready: send the batch (never holding a turn at writing while a slow client's
                    // socket drains), then wait for the next event or the heartbeat.
                    if (writer.UnflushedBytes > 0 && await FlushAsync(writer, ending.Token).ConfigureAwait(false))
                    {
                        return;
                    }

                    Ungate();

                    pending = next.AsTask();
                    if (!await WaitAsync(pending, writer, ending.Token).ConfigureAwait(false))
                    {
                        break;
                    }

                    more = await pending.ConfigureAwait(false);
                    pending = null;

                    // Woken with the others: take a turn at writing, behind the turns' pumps (the pacer), so the
                    // woken clients queue here rather than on the thread pool ahead of the pump that reads codex's
                    // output. (Not when the read ended: the stream's end is written at once. Only the client leaving
                    // stops the wait, so a stopping host still gets its end event out.)
                    if (more)
                    {
                        _slot = await pacer.EnterAsync(requestAborted).ConfigureAwait(false);
                    }
                }

                if (!more)
                {
                    break;
                }

                var e = reader.Current;
                ended = e.Kind == "end";

                // An end has no id: it must not move the client's Last-Event-ID (nor would a reconnect find it).
                writer.Write(ended ? SseFrame.Format(null, e.Kind, e.Data) : e.Frame.Span);
                if (writer.UnflushedBytes >= FlushBytes && await FlushAsync(writer, ending.Token).ConfigureAwait(false))
                {
                    return;
                }

                next = reader.MoveNextAsync();
            }

            if (!ended && hostStopping.IsCancellationRequested && !requestAborted.IsCancellationRequested)
            {
                // The host stops before the session's log ends: say so, the way a closing session says it.
                writer.Write(ServerStopping);
            }

            await writer.FlushAsync(requestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ending.IsCancellationRequested || requestAborted.IsCancellationRequested)
        {
            // The client went away or the host stops: the stream is over.
        }
        finally
        {
            Ungate();
            await ending.CancelAsync().ConfigureAwait(false);
            if (pending is not null)
            {
                // The pending read ends on the same token: let it finish before the reader is disposed (disposing an
                // async iterator that is still running throws, and the response would be cut off mid-stream).
                await EndedAsync(pending).ConfigureAwait(false);
            }

            await reader.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Waits for <paramref name="next"/>, writing a heartbeat each idle interval; false when the stream is ending.</summary>
    private async Task<bool> WaitAsync(Task<bool> next, System.IO.Pipelines.PipeWriter writer, CancellationToken ending)
    {
        while (true)
        {
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(ending);
            var heartbeat = Task.Delay(interval, time, idle.Token);
            if (await Task.WhenAny(next, heartbeat).ConfigureAwait(false) == next)
            {
                await idle.CancelAsync().ConfigureAwait(false);
                return true;
            }

            if (ending.IsCancellationRequested)
            {
                return false;
            }

            writer.Write(SseFrame.Heartbeat);
            if ((await writer.FlushAsync(ending).ConfigureAwait(false)).IsCompleted)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// Flushes inside the writer slot when the socket takes the bytes at once (that time counts against the pacer's
    /// budget); a flush that must wait for a slow client gives the slot up first, so it never holds the others.
    /// </summary>
    /// <returns>True when the client is gone.</returns>
    private async ValueTask<bool> FlushAsync(System.IO.Pipelines.PipeWriter writer, CancellationToken cancellationToken)
    {
        var flush = writer.FlushAsync(cancellationToken);
        if (!flush.IsCompleted)
        {
            Ungate();
        }

        return (await flush.ConfigureAwait(false)).IsCompleted;
    }

    private void Ungate()
    {
        if (_slot is { } entered)
        {
            _slot = null;
            pacer.Exit(entered);
        }
    }

    private static async Task EndedAsync(Task<bool> read)
    {
        try
        {
            await read.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Expected: the stream is ending.
        }
    }

    private static long? Parse(string value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
}
