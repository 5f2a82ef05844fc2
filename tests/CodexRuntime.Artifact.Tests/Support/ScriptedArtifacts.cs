using System.Text.Json.Nodes;
using System.Threading.Channels;
using CodexRuntime.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CodexRuntime.Artifact.Tests.Support;

/// <summary>
/// A manager on the in-memory <see cref="ScriptedAppServer"/> (no process, no model) and a real
/// <see cref="FsArtifactStore"/> in a temporary folder, on a <see cref="FakeTimeProvider"/>. Every <c>turn/start</c>
/// is answered at once and handed to the test (<see cref="NextTurnAsync"/>, the one reader), which streams and ends it.
/// </summary>
internal sealed class ScriptedArtifacts : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly TempFolder _root = new("artifact-scripted-");
    private readonly Channel<ScriptedArtifactTurn> _turns = Channel.CreateUnbounded<ScriptedArtifactTurn>();
    private int _turnCount;
    private int _archived;

    public ScriptedArtifacts(ArtifactOptions? options = null)
    {
        Server.Handle("turn/start", OnTurnStart);
        Server.Handle("thread/archive", _ =>
        {
            Interlocked.Increment(ref _archived);
            return new JsonObject();
        });
        var config = Server.Attach(new ClientConfig());
        config.Runtime.Connection.TimeProvider = Clock;
        Client = new CodexClient(config);
        Store = new FsArtifactStore(_root.Path);
        options ??= new ArtifactOptions();
        options.WorkingDirectory ??= _root.Path;
        Manager = new ArtifactSessionManager(Client, Store, options);
    }

    public ScriptedAppServer Server { get; } = new();

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));

    public CodexClient Client { get; }

    public FsArtifactStore Store { get; }

    public ArtifactSessionManager Manager { get; }

    /// <summary>How many threads codex was asked to archive (closing must archive none).</summary>
    public int Archived => Volatile.Read(ref _archived);

    /// <summary>The next turn a task started.</summary>
    public async Task<ScriptedArtifactTurn> NextTurnAsync()
    {
        using var deadline = new CancellationTokenSource(Deadline);
        try
        {
            return await _turns.Reader.ReadAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"No turn started within {Deadline.TotalSeconds} s ({Volatile.Read(ref _turnCount)} so far).");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Manager.DisposeAsync();
        await Client.DisposeAsync();
        await Server.DisposeAsync();
        _root.Dispose();
    }

    private JsonNode OnTurnStart(ScriptedAppServer.ScriptedRequest request)
    {
        var turnId = $"turn-{Interlocked.Increment(ref _turnCount)}";
        _turns.Writer.TryWrite(new ScriptedArtifactTurn(Server, (string)request.Params!["threadId"]!, turnId));
        return new JsonObject { ["turn"] = new JsonObject { ["id"] = turnId, ["items"] = new JsonArray(), ["status"] = "inProgress", ["error"] = null } };
    }
}

/// <summary>A task's turn on the scripted server: the test streams its answer and ends it.</summary>
internal sealed record ScriptedArtifactTurn(ScriptedAppServer Server, string ThreadId, string TurnId)
{
    public string MessageId => $"msg-{TurnId}";

    public Task StartMessageAsync() => Server.NotifyAsync("item/started", Item(string.Empty));

    public Task DeltaAsync(string text) =>
        Server.NotifyAsync("item/agentMessage/delta", new JsonObject { ["threadId"] = ThreadId, ["turnId"] = TurnId, ["itemId"] = MessageId, ["delta"] = text });

    /// <summary>Completes the message with <paramref name="text"/> and ends the turn as completed.</summary>
    public async Task CompleteAsync(string text)
    {
        await Server.NotifyAsync("item/completed", Item(text));
        await Server.NotifyAsync("turn/completed", new JsonObject
        {
            ["threadId"] = ThreadId,
            ["turn"] = new JsonObject { ["id"] = TurnId, ["items"] = new JsonArray(), ["status"] = "completed", ["error"] = null },
        });
    }

    private JsonObject Item(string text) =>
        new() { ["threadId"] = ThreadId, ["turnId"] = TurnId, ["item"] = new JsonObject { ["type"] = "agentMessage", ["id"] = MessageId, ["text"] = text } };
}
