using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using CodexRuntime.Transport;

namespace CodexRuntime.Tests.Support;

/// <summary>
/// A <see cref="CodexRuntimeHost"/> whose every (re)start connects to a new in-memory <see cref="ScriptedPeer"/> that
/// completes the handshake on its own. <see cref="ControlledTransport.Exit"/> makes the "process" exit with a code.
/// </summary>
internal sealed class ScriptedRuntime : IAsyncDisposable
{
    public const string UserAgent = "codex_runtime_dotnet/0.169.0 (Debian 12.0.0; x86_64) xterm (codex_runtime_dotnet; 0.1.0)";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly ConcurrentQueue<(ScriptedPeer Peer, ControlledTransport Transport, Task Handshake)> _connections = new();

    private ScriptedRuntime(CodexRuntimeOptions options)
    {
        options.TransportFactory = cancellationToken =>
        {
            var peer = ScriptedPeer.Create();
            var transport = new ControlledTransport(peer);
            // The handshake reader owns the peer's channel until it has read "initialized"; AnswerNextAsync awaits it
            // so that no two readers ever take lines from the same channel.
            _connections.Enqueue((peer, transport, AnswerHandshakeAsync(peer)));
            return ValueTask.FromResult<ICodexTransport>(transport);
        };
        Runtime = new CodexRuntimeHost(options);
    }

    public CodexRuntimeHost Runtime { get; }

    /// <summary>How many transports the runtime asked for (1 + restarts + failed attempts).</summary>
    public int ConnectionCount => _connections.Count;

    /// <summary>The peer of the latest connection.</summary>
    public ScriptedPeer Peer => _connections.Last().Peer;

    /// <summary>The transport of the latest connection.</summary>
    public ControlledTransport Transport => _connections.Last().Transport;

    public static async Task<ScriptedRuntime> StartAsync(Action<CodexRuntimeOptions>? configure = null)
    {
        var options = new CodexRuntimeOptions();
        configure?.Invoke(options);
        var scripted = new ScriptedRuntime(options);
        await scripted.Runtime.StartAsync().WaitAsync(Deadline);
        await scripted._connections.Last().Handshake.WaitAsync(Deadline);
        return scripted;
    }

    /// <summary>Answers the next request the runtime sends with <paramref name="result"/> (JSON) and returns the request.</summary>
    public async Task<JsonObject> AnswerNextAsync(string result)
    {
        var (peer, _, handshake) = _connections.Last();
        await handshake.WaitAsync(Deadline);
        var request = await peer.ReadAsync();
        await peer.WriteLineAsync(new JsonObject { ["id"] = request["id"]!.DeepClone(), ["result"] = JsonNode.Parse(result) }.ToJsonString());
        return request;
    }

    public async ValueTask DisposeAsync()
    {
        await Runtime.DisposeAsync();
        foreach (var (peer, _, _) in _connections)
        {
            await peer.DisposeAsync();
        }
    }

    /// <summary>Completes the handshake of a new connection on <paramref name="peer"/> (also used by the Hosting tests).</summary>
    internal static async Task AnswerHandshakeAsync(ScriptedPeer peer)
    {
        try
        {
            var initialize = await peer.ReadAsync();
            await peer.WriteLineAsync(new JsonObject { ["id"] = initialize["id"]!.DeepClone(), ["result"] = new JsonObject { ["userAgent"] = UserAgent } }.ToJsonString());
            await peer.ReadLineAsync();
        }
        catch (Exception ex) when (ex is EndOfStreamException or TimeoutException or IOException)
        {
            // The runtime gave up on this connection.
        }
    }

    /// <summary>A stream transport whose "process" can exit with a chosen code.</summary>
    internal sealed class ControlledTransport(ScriptedPeer peer) : ICodexTransport
    {
        private readonly TaskCompletionSource<CodexTransportExit> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Stream Input => peer.ClientTransport.Input;

        public Stream Output => peer.ClientTransport.Output;

        public Task<CodexTransportExit> Exited => _exited.Task;

        public string StderrTail { get; set; } = string.Empty;

        /// <summary>The process exits with <paramref name="code"/>: the exit is reported, then its end of the pipe closes.</summary>
        /// <remarks>
        /// Exit first, so the connection knows the exit code whenever it sees the pipe close; the other order leaves it to
        /// the connection's short wait for the exit, which a loaded test host can miss (the real binary covers that order).
        /// </remarks>
        public async Task Exit(int code, string stderr = "")
        {
            StderrTail = stderr;
            _exited.TrySetResult(new CodexTransportExit(code, $"codex exited with code {code}"));
            await peer.CloseAsync();
        }

        public async ValueTask DisposeAsync()
        {
            await peer.ClientTransport.DisposeAsync();
            _exited.TrySetResult(new CodexTransportExit(null, "disposed"));
        }
    }
}
