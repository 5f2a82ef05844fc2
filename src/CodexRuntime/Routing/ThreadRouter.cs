using CodexRuntime.Rpc;
using CodexRuntime.ServerRequests;

namespace CodexRuntime.Routing;

/// <summary>
/// Routes each inbound notification once, as the runtime reads it, to the routes open for its thread, and each server
/// request to the first of them that takes it, on the same reader, so a turn sees both in wire order. A lookup by the
/// classifier's thread id per message; no broadcast, no filter per subscriber.
/// </summary>
internal sealed class ThreadRouter
{
    private readonly Lock _gate = new();

    // Copy-on-write: the reader looks up without a lock; opening or closing a route (once per turn) copies.
    private Dictionary<string, IThreadRoute[]> _routes = new(StringComparer.Ordinal);

    /// <summary>Opens <paramref name="route"/> for <paramref name="threadId"/>; disposing the result closes it.</summary>
    public IDisposable Open(string threadId, IThreadRoute route)
    {
        lock (_gate)
        {
            var next = new Dictionary<string, IThreadRoute[]>(_routes, StringComparer.Ordinal);
            next[threadId] = next.TryGetValue(threadId, out var existing) ? [.. existing, route] : [route];
            Volatile.Write(ref _routes, next);
        }

        return new Registration(this, threadId, route);
    }

    /// <summary>Hands <paramref name="message"/> to every route of its thread.</summary>
    public void Deliver(CodexInboundMessage message)
    {
        if (message.ThreadId is not { } threadId || !Volatile.Read(ref _routes).TryGetValue(threadId, out var routes))
        {
            return;
        }

        foreach (var route in routes)
        {
            route.Deliver(message);
        }
    }

    /// <summary>Offers <paramref name="request"/> to the routes of its thread, in opening order; true when one took it.</summary>
    public bool TryTake(CodexServerRequest request)
    {
        if (request.ThreadId is not { } threadId || !Volatile.Read(ref _routes).TryGetValue(threadId, out var routes))
        {
            return false;
        }

        foreach (var route in routes)
        {
            if (route.TryTake(request))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>codex went away: every open route is told that nothing more will come.</summary>
    public void CompleteAll()
    {
        foreach (var routes in Volatile.Read(ref _routes).Values)
        {
            foreach (var route in routes)
            {
                route.Complete();
            }
        }
    }

    private void Close(string threadId, IThreadRoute route)
    {
        lock (_gate)
        {
            if (!_routes.TryGetValue(threadId, out var existing))
            {
                return;
            }

            var next = new Dictionary<string, IThreadRoute[]>(_routes, StringComparer.Ordinal);
            var remaining = existing.Where(r => !ReferenceEquals(r, route)).ToArray();
            if (remaining.Length == 0)
            {
                next.Remove(threadId);
            }
            else
            {
                next[threadId] = remaining;
            }

            Volatile.Write(ref _routes, next);
        }
    }

    private sealed class Registration(ThreadRouter router, string threadId, IThreadRoute route) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                router.Close(threadId, route);
            }
        }
    }
}
