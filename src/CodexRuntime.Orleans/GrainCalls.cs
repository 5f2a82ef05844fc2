using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using CodexRuntime.Web;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace CodexRuntime.Orleans;

/// <summary>
/// Calls to a grain as the endpoints see a local call: a <see cref="SessionRefusedException"/> becomes its
/// <see cref="CodexWebException"/> again, a grain whose silo is out of reach is <see cref="CodexWebErrorKind.Unavailable"/>,
/// and a grain's stream reads like a local one.
/// </summary>
internal static class GrainCalls
{
    /// <summary>
    /// A request body on its way to the silo that checks it: its UTF-8 bytes as the client sent them, not its text. A
    /// string invalid in UTF-8 cannot become .NET text (the conversion throws: a 500); as bytes, the session's silo
    /// refuses it naming the member, exactly as a single process does.
    /// </summary>
    public static byte[] Utf8(JsonElement body) => JsonMarshal.GetRawUtf8Value(body).ToArray();

    public static async Task Refused(Task call)
    {
        try
        {
            await call.ConfigureAwait(false);
        }
        catch (SessionRefusedException ex)
        {
            throw ex.ToWeb();
        }
        catch (Exception ex) when (IsUnreachable(ex))
        {
            throw Unavailable();
        }
    }

    public static async Task<T> Refused<T>(Task<T> call)
    {
        try
        {
            return await call.ConfigureAwait(false);
        }
        catch (SessionRefusedException ex)
        {
            throw ex.ToWeb();
        }
        catch (Exception ex) when (IsUnreachable(ex))
        {
            throw Unavailable();
        }
    }

    /// <summary>
    /// A grain's stream read as the endpoints read a local one. A client that leaves ends the read at once: a pending
    /// pull (the grain answers one within half the response timeout, with items or a heartbeat) is let finish in the
    /// background, then the grain's enumerator is disposed. When the grain's silo goes away after the first item, the
    /// stream ends with <paramref name="lost"/>'s item (what the client is told instead of its next items).
    /// </summary>
    /// <param name="reader">The grain's stream.</param>
    /// <param name="started">Whether <paramref name="reader"/>'s current item is the first, read already (a refusal was
    /// to come before the response).</param>
    /// <param name="map">An item as the endpoints take it.</param>
    /// <param name="lost">What ends the stream after the last item read when the grain's silo went away.</param>
    /// <param name="metrics">Counts the streams this replica serves through grains.</param>
    /// <param name="cancellationToken">The client going away.</param>
    public static async IAsyncEnumerable<TOut> ReadAsync<TIn, TOut>(
        IAsyncEnumerator<TIn> reader,
        bool started,
        Func<TIn, TOut> map,
        Func<TIn, TOut> lost,
        OrleansSessionMetrics metrics,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Task<bool>? pending = started ? Task.FromResult(true) : null;
        var read = false;
        TIn last = default!;
        metrics.RemoteStreamOpened();
        try
        {
            while (true)
            {
                pending ??= Refused(reader.MoveNextAsync().AsTask());
                bool more;
                try
                {
                    more = await pending.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    yield break;
                }
                catch (CodexWebException ex) when (ex.Kind == CodexWebErrorKind.Unavailable && read)
                {
                    pending = null; // the read failed: nothing is pending
                    break;
                }

                pending = null;
                if (!more)
                {
                    yield break;
                }

                (read, last) = (true, reader.Current);
                yield return map(last);
            }

            yield return lost(last);
        }
        finally
        {
            metrics.RemoteStreamClosed();
            if (pending is null)
            {
                await reader.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                _ = DisposeAfterAsync(pending, reader);
            }
        }
    }

    /// <summary>Disposes a grain's enumerator, and nothing else, when its stream could not start.</summary>
    public static async Task DisposeQuietlyAsync<T>(IAsyncEnumerator<T> reader)
    {
        try
        {
            await reader.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The grain's silo went away: its enumerator went with it.
        }
    }

    private static async Task DisposeAfterAsync<T>(Task<bool> pending, IAsyncEnumerator<T> reader)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The read was abandoned: its outcome has no reader.
        }

        await DisposeQuietlyAsync(reader).ConfigureAwait(false);
    }

    /// <summary>
    /// The grain's silo went away (or is leaving) and the cluster has not moved the grain yet: the call can succeed
    /// shortly, on the silo that takes it over. A stream's enumerator is gone when the grain was deactivated under it
    /// (its silo stopped and drained it).
    /// </summary>
    private static bool IsUnreachable(Exception ex) =>
        ex is SiloUnavailableException or OrleansMessageRejectionException or ConnectionFailedException or TimeoutException or EnumerationAbortedException;

    private static CodexWebException Unavailable() =>
        new(CodexWebErrorKind.Unavailable, "The server holding this session is not reachable right now (it may be moving to another server); try again in a few seconds.", retryAfter: SessionRefusedException.RetryUnavailable);
}
