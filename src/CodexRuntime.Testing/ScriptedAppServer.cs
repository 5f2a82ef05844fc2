using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using CodexRuntime.Protocol;
using CodexRuntime.Transport;
using Nerdbank.Streams;

namespace CodexRuntime.Testing;

/// <summary>
/// An in-memory codex app-server for unit tests of code that drives sessions: no process, no model. Attach it to a
/// <see cref="ClientConfig"/> (or <see cref="CodexRuntimeOptions"/>); every (re)start of the runtime then connects to
/// a new in-memory connection of this server, which completes the handshake on its own and answers
/// <c>thread/start</c>, <c>thread/resume</c>, <c>thread/fork</c>, <c>thread/archive</c> and <c>turn/interrupt</c> by
/// default. The test scripts the rest: it reads the client's requests (<see cref="ReadRequestAsync"/>), answers them,
/// sends notifications and server requests, and can make the "process" crash.
/// </summary>
/// <remarks>
/// One pump per connection reads what the client writes; requests without a handler go to one queue that only
/// <see cref="ReadRequestAsync"/> reads, so a test never has two readers of the same lines. Every wait has a deadline
/// (<see cref="Deadline"/>).
/// </remarks>
public sealed class ScriptedAppServer : IAsyncDisposable
{
    private readonly Channel<ScriptedRequest> _requests = Channel.CreateUnbounded<ScriptedRequest>();
    private readonly ConcurrentDictionary<string, Func<ScriptedRequest, JsonNode?>> _handlers = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ScriptedConnection> _connections = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<ScriptedConnection>> _opened = new();
    private readonly string _userAgent;
    private int _threads;

    /// <summary>Creates a server that introduces itself with <paramref name="userAgent"/> (its version is what the client sees as codex's).</summary>
    /// <param name="userAgent">The <c>initialize</c> result's user agent.</param>
    public ScriptedAppServer(string userAgent = "codex_scripted/0.169.0 (in-memory)")
    {
        _userAgent = userAgent;
        Handle(CodexMethods.ThreadStart.Name, request => ThreadResult(NewThreadId(), (string?)request.Params?["cwd"]));
        Handle(CodexMethods.ThreadResume.Name, request => ThreadResult((string?)request.Params?["threadId"] ?? NewThreadId(), (string?)request.Params?["cwd"]));
        Handle(CodexMethods.ThreadFork.Name, request => ThreadResult(NewThreadId(), (string?)request.Params?["cwd"]));
        Handle(CodexMethods.ThreadArchive.Name, _ => new JsonObject());
        Handle(CodexMethods.TurnInterrupt.Name, _ => new JsonObject());
    }

    /// <summary>How long each wait of the script may take before it fails with <see cref="TimeoutException"/>. 10 s by default.</summary>
    public TimeSpan Deadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many connections the runtime opened (1 + restarts).</summary>
    public int ConnectionCount => _connections.Count;

    /// <summary>Makes <paramref name="config"/>'s runtime connect to this server instead of starting codex.</summary>
    /// <param name="config">The client's configuration.</param>
    /// <returns>The same configuration.</returns>
    public ClientConfig Attach(ClientConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Attach(config.Runtime);
        return config;
    }

    /// <summary>Makes the runtime of <paramref name="options"/> connect to this server instead of starting codex.</summary>
    /// <param name="options">The runtime options.</param>
    public void Attach(CodexRuntimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.TransportFactory = _ =>
        {
            var connection = new ScriptedConnection(this);
            _connections.Enqueue(connection);
            Opened(_connections.Count).TrySetResult(connection);
            return ValueTask.FromResult<ICodexTransport>(connection.Transport);
        };
    }

    /// <summary>Answers every request of <paramref name="method"/> with what <paramref name="respond"/> returns (a JSON result), instead of queueing it.</summary>
    /// <param name="method">The request method, e.g. <c>thread/start</c>.</param>
    /// <param name="respond">Builds the result; null removes the handler so the requests are queued for <see cref="ReadRequestAsync"/>.</param>
    public void Handle(string method, Func<ScriptedRequest, JsonNode?>? respond)
    {
        if (respond is null)
        {
            _handlers.TryRemove(method, out _);
        }
        else
        {
            _handlers[method] = respond;
        }
    }

    /// <summary>Reads the next request the client sent that no handler answered.</summary>
    /// <param name="method">When set, the request must be of this method (otherwise <see cref="InvalidOperationException"/> names both).</param>
    /// <returns>The request; answer it with <see cref="ScriptedRequest.RespondAsync(JsonNode)"/>.</returns>
    public async Task<ScriptedRequest> ReadRequestAsync(string? method = null)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        ScriptedRequest request;
        try
        {
            request = await _requests.Reader.ReadAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The client sent no request{(method is null ? string.Empty : $" '{method}'")} within {Deadline.TotalSeconds:0.#} s.");
        }

        if (method is not null && request.Method != method)
        {
            throw new InvalidOperationException($"Expected a '{method}' request but the client sent '{request.Method}': {request.Line}");
        }

        return request;
    }

    /// <summary>Sends a notification on the latest connection.</summary>
    /// <param name="method">The notification method, e.g. <c>item/agentMessage/delta</c>.</param>
    /// <param name="parameters">Its params.</param>
    /// <returns>A task that completes when written.</returns>
    public Task NotifyAsync(string method, JsonObject parameters) =>
        Latest.WriteAsync(new JsonObject { ["method"] = method, ["params"] = parameters });

    /// <summary>Sends a server request (an approval, for example) on the latest connection and waits for the client's reply.</summary>
    /// <param name="method">The request method, e.g. <c>item/commandExecution/requestApproval</c>.</param>
    /// <param name="parameters">Its params.</param>
    /// <returns>The reply's <c>result</c> (or the whole reply when it is an error).</returns>
    public Task<JsonNode> SendServerRequestAsync(string method, JsonObject parameters) => Latest.RequestAsync(method, parameters);

    /// <summary>The latest connection's "process" exits with <paramref name="exitCode"/>: the exit is reported, then its pipe closes
    /// (in that order, so the runtime always learns the exit code, however loaded the test host is).</summary>
    /// <param name="exitCode">The exit code (non-zero is a crash the restart policy may act on).</param>
    /// <returns>A task that completes when the pipe closed.</returns>
    public Task CrashAsync(int exitCode = 1) => Latest.ExitAsync(exitCode);

    /// <summary>Waits until the runtime opened connection number <paramref name="count"/> (1-based) and it finished the handshake.</summary>
    /// <param name="count">The connection to wait for: 2 after the first restart.</param>
    /// <returns>A task that completes when that connection is ready.</returns>
    public async Task WaitForConnectionAsync(int count)
    {
        try
        {
            var connection = await Opened(count).Task.WaitAsync(Deadline).ConfigureAwait(false);
            await connection.Initialized.WaitAsync(Deadline).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The runtime had opened {_connections.Count} connection(s), not a ready connection {count}, within {Deadline.TotalSeconds:0.#} s.");
        }
    }

    /// <summary>Closes every connection.</summary>
    /// <returns>A task that completes when closed.</returns>
    public async ValueTask DisposeAsync()
    {
        _requests.Writer.TryComplete();
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private ScriptedConnection Latest => _connections.LastOrDefault() ?? throw new InvalidOperationException("No client connected yet: attach the server to a ClientConfig and connect the client first.");

    private TaskCompletionSource<ScriptedConnection> Opened(int count) =>
        _opened.GetOrAdd(count, _ => new TaskCompletionSource<ScriptedConnection>(TaskCreationOptions.RunContinuationsAsynchronously));

    private string NewThreadId() => $"thread-{Interlocked.Increment(ref _threads)}";

    /// <summary>
    /// The result the server's own <c>thread/start</c>, <c>thread/resume</c> and <c>thread/fork</c> handlers answer: a
    /// thread of that id in <paramref name="cwd"/>, for a test that handles one of them itself (to hold or count it).
    /// </summary>
    /// <param name="threadId">The thread's id.</param>
    /// <param name="cwd">Its working directory; <c>/</c> when null.</param>
    /// <returns>The result object.</returns>
    public static JsonObject ThreadResult(string threadId, string? cwd)
    {
        var thread = new JsonObject
        {
            ["id"] = threadId,
            ["sessionId"] = threadId,
            ["preview"] = string.Empty,
            ["ephemeral"] = false,
            ["modelProvider"] = "scripted",
            ["model"] = "scripted-model",
            ["createdAt"] = 1795493809,
            ["updatedAt"] = 1795493809,
            ["status"] = new JsonObject { ["type"] = "idle" },
            ["path"] = null,
            ["cwd"] = cwd ?? "/",
            ["cliVersion"] = "0.169.0",
            ["source"] = "vscode",
            ["gitInfo"] = null,
            ["name"] = null,
            ["turns"] = new JsonArray(),
        };
        return new JsonObject
        {
            ["thread"] = thread,
            ["model"] = "scripted-model",
            ["modelProvider"] = "scripted",
            ["cwd"] = cwd ?? "/",
            ["approvalPolicy"] = "never",
            ["sandbox"] = new JsonObject { ["type"] = "readOnly", ["networkAccess"] = false },
            ["reasoningEffort"] = null,
        };
    }

    /// <summary>One in-memory connection: the client's transport and the server's pump.</summary>
    internal sealed class ScriptedConnection : IAsyncDisposable
    {
        private readonly ScriptedAppServer _server;
        private readonly Stream _serverSide;
        private readonly SemaphoreSlim _writeLock = new(1, 1);
        private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonNode>> _pending = new(StringComparer.Ordinal);
        private readonly TaskCompletionSource _initialized = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _nextId;

        public ScriptedConnection(ScriptedAppServer server)
        {
            _server = server;
            var (client, serverSide) = FullDuplexStream.CreatePair();
            _serverSide = serverSide;
            Transport = new ExitingTransport(client);
            _ = Task.Run(PumpAsync);
        }

        public ExitingTransport Transport { get; }

        public Task Initialized => _initialized.Task;

        public async Task WriteAsync(JsonNode message)
        {
            var bytes = Encoding.UTF8.GetBytes(message.ToJsonString() + "\n");
            await _writeLock.WaitAsync().ConfigureAwait(false);
            try
            {
                await _serverSide.WriteAsync(bytes).ConfigureAwait(false);
                await _serverSide.FlushAsync().ConfigureAwait(false);
            }
            finally
            {
                _writeLock.Release();
            }
        }

        public async Task<JsonNode> RequestAsync(string method, JsonObject parameters)
        {
            var id = $"scripted-{Interlocked.Increment(ref _nextId)}";
            var reply = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
            _pending[id] = reply;
            await WriteAsync(new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters }).ConfigureAwait(false);
            try
            {
                return await reply.Task.WaitAsync(_server.Deadline).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"The client did not answer the server request '{method}' within {_server.Deadline.TotalSeconds:0.#} s.");
            }
            finally
            {
                _pending.TryRemove(id, out _);
            }
        }

        public async Task ExitAsync(int exitCode)
        {
            Transport.Exit(new CodexTransportExit(exitCode, $"codex exited with code {exitCode}"));
            await _serverSide.DisposeAsync().ConfigureAwait(false);
        }

        public async ValueTask DisposeAsync()
        {
            await _serverSide.DisposeAsync().ConfigureAwait(false);
            Transport.Exit(new CodexTransportExit(null, "disposed"));
        }

        private async Task PumpAsync()
        {
            using var reader = new StreamReader(_serverSide, new UTF8Encoding(false), leaveOpen: true);
            try
            {
                while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
                {
                    await OnLineAsync(line).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                // The pipe closed.
            }
        }

        private async Task OnLineAsync(string line)
        {
            var message = JsonNode.Parse(line)!.AsObject();
            var method = (string?)message["method"];
            var id = message["id"];
            if (method is null)
            {
                // The client's reply to one of our server requests.
                if (id is not null && _pending.TryGetValue(id.ToJsonString().Trim('"'), out var reply))
                {
                    reply.TrySetResult(message["result"]?.DeepClone() ?? message);
                }

                return;
            }

            if (id is null)
            {
                // A notification from the client: codex's schema has one (initialized, the end of the handshake), and
                // its name is internal to the core, so it is not spelled here again.
                _initialized.TrySetResult();
                return;
            }

            var request = new ScriptedRequest(this, method, id.DeepClone(), message["params"] as JsonObject, line);
            if (method == CodexMethods.Initialize.Name)
            {
                await request.RespondAsync(new JsonObject { ["userAgent"] = _server._userAgent }).ConfigureAwait(false);
            }
            else if (_server._handlers.TryGetValue(method, out var handle) && handle(request) is { } result)
            {
                await request.RespondAsync(result).ConfigureAwait(false);
            }
            else
            {
                _server._requests.Writer.TryWrite(request);
            }
        }

        internal Task ReplyAsync(JsonNode id, JsonNode? result, JsonObject? error) =>
            WriteAsync(error is null
                ? new JsonObject { ["id"] = id.DeepClone(), ["result"] = result }
                : new JsonObject { ["id"] = id.DeepClone(), ["error"] = error });
    }

    /// <summary>A stream transport whose "process" exit the server reports.</summary>
    internal sealed class ExitingTransport(Stream duplex) : ICodexTransport
    {
        private readonly TaskCompletionSource<CodexTransportExit> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Stream Input => duplex;

        public Stream Output => duplex;

        public Task<CodexTransportExit> Exited => _exited.Task;

        public string StderrTail => string.Empty;

        public void Exit(CodexTransportExit exit) => _exited.TrySetResult(exit);

        public async ValueTask DisposeAsync()
        {
            await duplex.DisposeAsync().ConfigureAwait(false);
            _exited.TrySetResult(new CodexTransportExit(null, "disposed"));
        }
    }

    /// <summary>A request the client sent to the scripted server.</summary>
    public sealed class ScriptedRequest
    {
        private readonly ScriptedConnection _connection;

        internal ScriptedRequest(ScriptedConnection connection, string method, JsonNode id, JsonObject? parameters, string line)
        {
            _connection = connection;
            Method = method;
            Id = id;
            Params = parameters;
            Line = line;
        }

        /// <summary>The method.</summary>
        public string Method { get; }

        /// <summary>The JSON-RPC id.</summary>
        public JsonNode Id { get; }

        /// <summary>The params (null when absent).</summary>
        public JsonObject? Params { get; }

        /// <summary>The line as the client wrote it.</summary>
        public string Line { get; }

        /// <summary>Answers with a result.</summary>
        /// <param name="result">The JSON result.</param>
        /// <returns>A task that completes when written.</returns>
        public Task RespondAsync(JsonNode result) => _connection.ReplyAsync(Id, result, null);

        /// <summary>Answers with a JSON-RPC error.</summary>
        /// <param name="code">The error code, e.g. -32600.</param>
        /// <param name="message">The error message.</param>
        /// <returns>A task that completes when written.</returns>
        public Task RespondErrorAsync(int code, string message) => _connection.ReplyAsync(Id, null, new JsonObject { ["code"] = code, ["message"] = message });
    }
}
