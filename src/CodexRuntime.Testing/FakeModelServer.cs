using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CodexRuntime.Testing;

/// <summary>
/// A real HTTP server on 127.0.0.1 (a free port) that speaks the OpenAI Responses API as server-sent events, so the
/// real codex binary can run turns offline and deterministically. Each POST to <c>/v1/responses</c> gets the next
/// answer of the first matching route (<see cref="When"/>), else the next <see cref="FakeModelResponse"/> from the
/// script queue, else the fallback's (<see cref="Otherwise"/>); every request is recorded with its body. A request
/// none of them answers is answered with HTTP 500 (codex then fails the turn) and counted in
/// <see cref="UnscriptedRequestCount"/>, so a script that is too short shows up as a failure, not a hang.
/// </summary>
/// <example>
/// <code>
/// await using var model = FakeModelServer.Start();
/// model.Enqueue(FakeModelResponse.Text("Hello from the fake model"));
/// using var home = TemporaryCodexHome.Create(model);
/// // start codex with CODEX_HOME = home.Path
/// </code>
/// </example>
public sealed class FakeModelServer : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly ConcurrentQueue<FakeModelResponse> _script = new();
    private readonly List<(Func<FakeModelRequest, bool> Match, Queue<FakeModelResponse> Answers)> _routes = [];
    private Func<FakeModelRequest, FakeModelResponse>? _fallback;
    private readonly List<FakeModelRequest> _requests = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _acceptLoop;
    private readonly TimeProvider _time;
    private readonly List<(int Count, TaskCompletionSource<FakeModelRequest> Waiter)> _waiters = [];
    private int _unscripted;
    private int _responseCounter;

    private FakeModelServer(HttpListener listener, int port, TimeProvider time)
    {
        _listener = listener;
        _time = time;
        Port = port;
        BaseUrl = $"http://127.0.0.1:{port}/v1";
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>The port the server listens on (127.0.0.1).</summary>
    public int Port { get; }

    /// <summary>The base URL to configure as the model provider's <c>base_url</c>, e.g. <c>http://127.0.0.1:5123/v1</c>.</summary>
    public string BaseUrl { get; }

    /// <summary>Requests that found the script empty (each was answered with HTTP 500).</summary>
    public int UnscriptedRequestCount => Volatile.Read(ref _unscripted);

    /// <summary>Scripted answers not used yet.</summary>
    public int PendingResponseCount => _script.Count;

    /// <summary>Every request received so far, in arrival order.</summary>
    public IReadOnlyList<FakeModelRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests.ToArray();
            }
        }
    }

    /// <summary>The model calls (POSTs to <c>/v1/responses</c>) received so far, in order.</summary>
    public IReadOnlyList<FakeModelRequest> ModelRequests => Requests.Where(r => r.Method == "POST" && r.Path.EndsWith("/responses", StringComparison.Ordinal)).ToArray();

    /// <summary>Starts a server on a free loopback port.</summary>
    /// <param name="timeProvider">Clock for request timestamps and pacing; the system clock by default.</param>
    /// <returns>The running server.</returns>
    public static FakeModelServer Start(TimeProvider? timeProvider = null)
    {
        // HttpListener needs a concrete port: take a free one from the OS, and retry if another process grabs it first.
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return new FakeModelServer(listener, port, timeProvider ?? TimeProvider.System);
            }
            catch (HttpListenerException) when (attempt < 20)
            {
                listener.Close();
            }
        }
    }

    /// <summary>Adds answers to the end of the script.</summary>
    /// <param name="responses">The answers, used one per model request in order.</param>
    /// <returns>This server, for chaining.</returns>
    public FakeModelServer Enqueue(params FakeModelResponse[] responses)
    {
        ArgumentNullException.ThrowIfNull(responses);
        foreach (var response in responses)
        {
            _script.Enqueue(response ?? throw new ArgumentException("A scripted answer is null.", nameof(responses)));
        }

        return this;
    }

    /// <summary>
    /// Answers the model requests that <paramref name="match"/> accepts with <paramref name="responses"/>, one each in
    /// order, ahead of the script: for an app that runs several things at once (web sessions, an automation, artifact
    /// tasks), where the order of model calls is not known. Routes are tried in the order they were added; a route
    /// whose answers are used up no longer matches. Match on <see cref="FakeModelRequest.LastUserText"/> (the prompt)
    /// or anything in the body.
    /// </summary>
    /// <param name="match">Which requests the route answers (runs on the server's request task; must not throw).</param>
    /// <param name="responses">The route's answers, in order.</param>
    /// <returns>This server, for chaining.</returns>
    public FakeModelServer When(Func<FakeModelRequest, bool> match, params FakeModelResponse[] responses)
    {
        ArgumentNullException.ThrowIfNull(match);
        ArgumentNullException.ThrowIfNull(responses);
        if (responses.Length == 0 || responses.Any(r => r is null))
        {
            throw new ArgumentException("A route needs at least one answer and no null ones; use Otherwise for answers built per request.", nameof(responses));
        }

        lock (_gate)
        {
            _routes.Add((match, new Queue<FakeModelResponse>(responses)));
        }

        return this;
    }

    /// <summary>
    /// Answers every model request that no route and no scripted answer is left for, instead of HTTP 500: for a
    /// long-running offline app that must keep working (e.g. <c>r => FakeModelResponse.Text($"echo: {r.LastUserText}")</c>).
    /// Replaces an earlier fallback. Requests it answers are not counted in <see cref="UnscriptedRequestCount"/>.
    /// </summary>
    /// <param name="responder">Builds the answer from the request (runs on the server's request task).</param>
    /// <returns>This server, for chaining.</returns>
    public FakeModelServer Otherwise(Func<FakeModelRequest, FakeModelResponse> responder)
    {
        ArgumentNullException.ThrowIfNull(responder);
        Volatile.Write(ref _fallback, responder);
        return this;
    }

    /// <summary>Waits until at least <paramref name="count"/> model requests have arrived.</summary>
    /// <param name="count">How many model requests to wait for (1 = the first).</param>
    /// <param name="timeout">Deadline.</param>
    /// <returns>The <paramref name="count"/>-th model request.</returns>
    /// <exception cref="TimeoutException">Fewer requests arrived within the deadline.</exception>
    public async Task<FakeModelRequest> WaitForModelRequestAsync(int count, TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        TaskCompletionSource<FakeModelRequest> waiter;
        lock (_gate)
        {
            var existing = ModelRequestsUnsafe();
            if (existing.Count >= count)
            {
                return existing[count - 1];
            }

            waiter = new TaskCompletionSource<FakeModelRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, waiter));
        }

        try
        {
            return await waiter.Task.WaitAsync(timeout, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"FakeModelServer received {ModelRequests.Count} model request(s) within {timeout.TotalSeconds:0.#} s; expected at least {count}.");
        }
    }

    /// <summary>Stops the server; requests in flight are abandoned.</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Close();
        try
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or OperationCanceledException)
        {
            // Stopping.
        }

        _stopping.Dispose();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private List<FakeModelRequest> ModelRequestsUnsafe() =>
        _requests.Where(r => r.Method == "POST" && r.Path.EndsWith("/responses", StringComparison.Ordinal)).ToList();

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    /// <summary>A route's next answer, else the script's, else the fallback's; null when none answers (HTTP 500).</summary>
    private FakeModelResponse? Choose(FakeModelRequest request)
    {
        lock (_gate)
        {
            foreach (var (match, answers) in _routes)
            {
                if (answers.Count > 0 && match(request))
                {
                    return answers.Dequeue();
                }
            }
        }

        if (_script.TryDequeue(out var scripted))
        {
            return scripted;
        }

        return Volatile.Read(ref _fallback) is { } fallback
            ? fallback(request) ?? throw new InvalidOperationException("The FakeModelServer fallback (Otherwise) built null.")
            : null;
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        try
        {
            string body;
            using (var reader = new StreamReader(request.InputStream, Encoding.UTF8))
            {
                body = await reader.ReadToEndAsync(_stopping.Token).ConfigureAwait(false);
            }

            var path = request.Url?.AbsolutePath ?? "/";
            var isModelCall = request.HttpMethod == "POST" && path.EndsWith("/responses", StringComparison.Ordinal);
            var received = new FakeModelRequest(request.HttpMethod, path, body, _time.GetUtcNow(), null);
            var answer = isModelCall ? Choose(received) : null;
            if (isModelCall && answer is null)
            {
                Interlocked.Increment(ref _unscripted);
            }

            var recorded = received with { Answer = answer?.Description };
            Record(recorded);
            if (answer?.Builder is { } build)
            {
                answer = build(recorded) ?? throw new InvalidOperationException($"The FromRequest answer '{answer.Description}' built null.");
            }

            if (!isModelCall)
            {
                await WriteErrorAsync(response, 404, $"FakeModelServer only serves POST /v1/responses, not {request.HttpMethod} {path}.").ConfigureAwait(false);
                return;
            }

            if (answer is null)
            {
                await WriteErrorAsync(response, 500, "FakeModelServer has no scripted answer left for this request: enqueue one more FakeModelResponse, add a route (When) or a fallback (Otherwise).").ConfigureAwait(false);
                return;
            }

            if (answer.StatusCode != 200)
            {
                await WriteErrorAsync(response, answer.StatusCode, null, answer.ErrorBody).ConfigureAwait(false);
                return;
            }

            await WriteEventsAsync(response, answer).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away or we are stopping.
        }
        finally
        {
            try
            {
                response.Close();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                // Already closed.
            }
        }
    }

    private async Task WriteEventsAsync(HttpListenerResponse response, FakeModelResponse answer)
    {
        response.StatusCode = 200;
        response.ContentType = "text/event-stream";
        response.SendChunked = true;
        response.Headers["Cache-Control"] = "no-cache";
        var output = response.OutputStream;
        var responseId = $"resp-{Interlocked.Increment(ref _responseCounter)}";
        foreach (var (type, json, paced) in answer.Events(responseId))
        {
            if (paced && answer.Pace > TimeSpan.Zero)
            {
                await Task.Delay(answer.Pace, _time, _stopping.Token).ConfigureAwait(false);
            }

            var bytes = Encoding.UTF8.GetBytes($"event: {type}\ndata: {json}\n\n");
            await output.WriteAsync(bytes, _stopping.Token).ConfigureAwait(false);
            await output.FlushAsync(_stopping.Token).ConfigureAwait(false);
        }
    }

    private async Task WriteErrorAsync(HttpListenerResponse response, int status, string? message, string? rawBody = null)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        var body = rawBody ?? new System.Text.Json.Nodes.JsonObject
        {
            ["error"] = new System.Text.Json.Nodes.JsonObject { ["message"] = message, ["type"] = "fake_model_server" },
        }.ToJsonString();
        var bytes = Encoding.UTF8.GetBytes(body);
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes, _stopping.Token).ConfigureAwait(false);
    }

    private void Record(FakeModelRequest recorded)
    {
        lock (_gate)
        {
            _requests.Add(recorded);
            var models = ModelRequestsUnsafe();
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (models.Count >= _waiters[i].Count)
                {
                    _waiters[i].Waiter.TrySetResult(models[_waiters[i].Count - 1]);
                    _waiters.RemoveAt(i);
                }
            }
        }
    }
}
