using System.Text.Json.Nodes;
using System.Threading.Channels;
using CodexRuntime.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CodexRuntime.Automation.Tests.Support;

/// <summary>
/// A real <see cref="CodexSession"/> on the in-memory <see cref="ScriptedAppServer"/>, with a <see cref="FakeTimeProvider"/>
/// for the automation; its turns are <see cref="ScriptedTurns"/>.
/// </summary>
internal sealed class ScriptedCodex : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = ScriptedTurns.Deadline;

    /// <summary>A Monday morning, far from any daylight-saving change.</summary>
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private ScriptedCodex(ScriptedAppServer server, FakeTimeProvider clock)
    {
        Server = server;
        Clock = clock;
        Turns = new ScriptedTurns(server);
    }

    public ScriptedAppServer Server { get; }

    public FakeTimeProvider Clock { get; }

    public ScriptedTurns Turns { get; }

    public CodexClient Client { get; private set; } = null!;

    public CodexSession Session { get; private set; } = null!;

    /// <summary>How many <c>turn/start</c> requests the server received.</summary>
    public int TurnStarts => Turns.Count;

    /// <summary>The prompt and thread of every turn/start, in order.</summary>
    public IReadOnlyList<(string ThreadId, string Prompt)> Started => Turns.Started;

    public static async Task<ScriptedCodex> StartAsync(DateTimeOffset? now = null)
    {
        var codex = new ScriptedCodex(new ScriptedAppServer(), new FakeTimeProvider(now ?? Start));
        codex.Client = new CodexClient(codex.Server.Attach(new ClientConfig()));
        codex.Session = await codex.Client.StartSessionAsync(new SessionConfig(Path.GetTempPath())).WaitAsync(Deadline);
        return codex;
    }

    /// <summary>turn/interrupt requests are queued for <see cref="ScriptedAppServer.ReadRequestAsync"/> instead of answered.</summary>
    public void QueueInterrupts() => Server.Handle("turn/interrupt", null);

    public AutomationOptions Options(IAutomationStateStore? store = null, string name = "test") =>
        new() { Name = name, TimeProvider = Clock, StateStore = store };

    /// <summary>The next turn the automation started (already answered with its id).</summary>
    public Task<ScriptedTurn> NextTurnAsync() => Turns.NextAsync(() => $"clock at {Clock.GetUtcNow():O}; last automation: {Last?.Status}");

    /// <summary>The automation <see cref="RunAsync"/> started last, named in timeouts.</summary>
    public AutomationHandle? Last { get; private set; }

    /// <summary>Starts <paramref name="spec"/> on the session with the fake clock.</summary>
    public async Task<AutomationHandle> RunAsync(AutomationSpec spec, IAutomationStateStore? store = null, string name = "test", CodexSession? session = null) =>
        Last = await CodexAutomation.StartAsync(session ?? Session, spec, Options(store, name)).WaitAsync(Deadline);

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Server.DisposeAsync();
    }
}

/// <summary>
/// Answers every <c>turn/start</c> of a <see cref="ScriptedAppServer"/> at once with a new turn id and hands the turn to
/// the test (one queue, read only by <see cref="NextAsync"/>), which ends it when it chooses.
/// </summary>
internal sealed class ScriptedTurns
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly ScriptedAppServer _server;
    private readonly Channel<ScriptedTurn> _turns = Channel.CreateUnbounded<ScriptedTurn>();
    private readonly List<(string ThreadId, string Prompt)> _started = [];
    private int _count;

    public ScriptedTurns(ScriptedAppServer server)
    {
        _server = server;
        server.Handle("turn/start", OnTurnStart);
    }

    public int Count => Volatile.Read(ref _count);

    public IReadOnlyList<(string ThreadId, string Prompt)> Started
    {
        get
        {
            lock (_started)
            {
                return [.. _started];
            }
        }
    }

    public async Task<ScriptedTurn> NextAsync(Func<string>? context = null)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        try
        {
            return await _turns.Reader.ReadAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"No turn started within {Deadline.TotalSeconds} s ({Count} so far; {context?.Invoke()}).");
        }
    }

    private JsonNode OnTurnStart(ScriptedAppServer.ScriptedRequest request)
    {
        var number = Interlocked.Increment(ref _count);
        var turnId = $"turn-{number}";
        var threadId = (string)request.Params!["threadId"]!;
        var prompt = (string)request.Params!["input"]![0]!["text"]!;
        lock (_started)
        {
            _started.Add((threadId, prompt));
        }

        _turns.Writer.TryWrite(new ScriptedTurn(_server, threadId, turnId, prompt));
        return ScriptedTurn.Turn(turnId, "inProgress", null);
    }
}

/// <summary>A turn the automation started on the scripted server; the test ends it.</summary>
internal sealed record ScriptedTurn(ScriptedAppServer Server, string ThreadId, string TurnId, string Prompt)
{
    public static JsonObject Turn(string turnId, string status, JsonNode? error) =>
        new() { ["turn"] = new JsonObject { ["id"] = turnId, ["items"] = new JsonArray(), ["status"] = status, ["error"] = error } };

    public async Task CompleteAsync(string text = "done")
    {
        var item = new JsonObject { ["type"] = "agentMessage", ["id"] = $"msg-{TurnId}", ["text"] = text };
        await Server.NotifyAsync("item/completed", new JsonObject { ["threadId"] = ThreadId, ["turnId"] = TurnId, ["item"] = item });
        await EndAsync("completed", null);
    }

    public Task FailAsync(string message = "the model provider failed") =>
        EndAsync("failed", new JsonObject { ["message"] = message, ["codexErrorInfo"] = null, ["additionalDetails"] = null });

    public Task InterruptedAsync() => EndAsync("interrupted", null);

    private Task EndAsync(string status, JsonNode? error)
    {
        var completed = Turn(TurnId, status, error);
        completed["threadId"] = ThreadId;
        return Server.NotifyAsync("turn/completed", completed);
    }
}
