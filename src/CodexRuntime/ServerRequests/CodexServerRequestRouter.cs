namespace CodexRuntime.ServerRequests;

/// <summary>
/// Decides which <see cref="CodexServerRequestStream"/> gets a server request: the first filtered stream (in opening
/// order) whose filter accepts it, else the catch-all stream, else none (the dispatcher's handlers and policy answer).
/// </summary>
internal sealed class CodexServerRequestRouter
{
    private readonly Lock _gate = new();
    private CodexServerRequestStream[] _filtered = [];
    private CodexServerRequestStream? _catchAll;
    private bool _completed;

    public CodexServerRequestStream Open(CodexServerRequestStreamOptions? options)
    {
        var stream = new CodexServerRequestStream(this, options?.Filter);
        lock (_gate)
        {
            if (_completed)
            {
                throw new ObjectDisposedException(nameof(CodexServerRequestRouter), "The runtime has stopped; no server requests will arrive.");
            }

            if (stream.Filter is not null)
            {
                _filtered = [.. _filtered, stream];
            }
            else if (_catchAll is null)
            {
                _catchAll = stream;
            }
            else
            {
                throw new InvalidOperationException(
                    "A server-request stream without a filter is already open, and only one may take all requests. " +
                    "Give this stream a Filter (CodexServerRequestStreamOptions.Filter), or dispose the other stream first.");
            }
        }

        return stream;
    }

    /// <summary>Hands the request to a stream; false when none claims it.</summary>
    public bool TryRoute(CodexServerRequest request)
    {
        CodexServerRequestStream[] filtered;
        CodexServerRequestStream? catchAll;
        lock (_gate)
        {
            filtered = _filtered;
            catchAll = _catchAll;
        }

        foreach (var stream in filtered)
        {
            if (Accepts(stream, request) && stream.TryClaim(request))
            {
                return true;
            }
        }

        return catchAll is not null && catchAll.TryClaim(request);
    }

    /// <summary>A filter that throws does not claim the request: one broken consumer must not take requests from the others.</summary>
    private static bool Accepts(CodexServerRequestStream stream, CodexServerRequest request)
    {
        try
        {
            return stream.Filter!(request);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return false;
        }
    }

    public void Remove(CodexServerRequestStream stream)
    {
        lock (_gate)
        {
            _filtered = _filtered.Where(s => s != stream).ToArray();
            if (_catchAll == stream)
            {
                _catchAll = null;
            }
        }
    }

    /// <summary>The runtime stopped: every stream ends.</summary>
    public void Complete()
    {
        CodexServerRequestStream[] streams;
        lock (_gate)
        {
            _completed = true;
            streams = [.. _filtered, .. _catchAll is null ? [] : new[] { _catchAll }];
            _filtered = [];
            _catchAll = null;
        }

        foreach (var stream in streams)
        {
            stream.Complete();
        }
    }
}
