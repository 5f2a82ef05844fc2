using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;

namespace CodexRuntime.Web.Hosting;

/// <summary>
/// A session log as a Server-Sent Events stream: where the client resumes (<c>Last-Event-ID</c>), the events as SSE
/// items, heartbeats when idle, and the end when the client leaves or the host stops.
/// </summary>
internal static class SessionEventStream
{
    /// <summary>
    /// Where the client is: the <c>Last-Event-ID</c> header (an EventSource's own reconnect), else the
    /// <c>lastEventId</c> query parameter (a page that reloaded the state and opens a new EventSource, which cannot set
    /// headers). The header wins: a reconnect of that EventSource keeps the URL's older id but sends the newer header.
    /// </summary>
    public static long? LastEventId(HttpContext http) =>
        Parse(http.Request.Headers["Last-Event-ID"].ToString()) ?? Parse(http.Request.Query["lastEventId"].ToString());

    private static long? Parse(string value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    /// <summary>
    /// The events as SSE items (<c>id:</c> the session's sequence, <c>event:</c> the kind), with a heartbeat when idle,
    /// until the client goes away or the host stops (then the stream ends at once instead of holding shutdown).
    /// </summary>
    public static async IAsyncEnumerable<SseItem<string>> Stream(HttpResponse response, Func<CancellationToken, IAsyncEnumerable<WebEvent>> subscribe, TimeSpan interval, TimeProvider time, [EnumeratorCancellation] CancellationToken requestAborted, CancellationToken hostStopping)
    {
        using var ending = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, hostStopping);

        // The result has set the SSE headers by now: send them, so a client knows it is connected (EventSource's open)
        // before the first event, which on a quiet session may be a long way off.
        await response.StartAsync(ending.Token).ConfigureAwait(false);
        await response.Body.FlushAsync(ending.Token).ConfigureAwait(false);
        await foreach (var item in WithHeartbeats(subscribe(ending.Token), interval, time, ending.Token).ConfigureAwait(false))
        {
            yield return item;
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

    private static async IAsyncEnumerable<SseItem<string>> WithHeartbeats(IAsyncEnumerable<WebEvent> events, TimeSpan interval, TimeProvider time, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var reader = events.GetAsyncEnumerator(cancellationToken);
        var next = reader.MoveNextAsync().AsTask();
        while (true)
        {
            using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var heartbeat = Task.Delay(interval, time, idle.Token);
            var first = await Task.WhenAny(next, heartbeat).ConfigureAwait(false);
            if (first != next)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    // The pending read ends on the same token: let it finish before the reader is disposed (disposing
                    // an async iterator that is still running throws, and the response would be cut off mid-stream).
                    await EndedAsync(next).ConfigureAwait(false);
                    yield break;
                }

                // No id: a heartbeat never moves the client's Last-Event-ID.
                yield return new SseItem<string>("{}", "heartbeat");
                continue;
            }

            await idle.CancelAsync().ConfigureAwait(false);
            if (!await next.ConfigureAwait(false))
            {
                yield break;
            }

            var e = reader.Current;
            yield return new SseItem<string>(e.Data, e.Kind) { EventId = e.Id.ToString(CultureInfo.InvariantCulture) };
            next = reader.MoveNextAsync().AsTask();
        }
    }
}
