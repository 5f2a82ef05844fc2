using System.Collections.Concurrent;
using CodexRuntime.Tests.Support;
using CodexRuntime.Transport;

namespace CodexRuntime.Tests.Hosting;

/// <summary>
/// A <see cref="CodexRuntimeOptions.TransportFactory"/> whose every connection is an in-memory <see cref="ScriptedPeer"/>
/// that completes the handshake on its own: a "connected" client without a process, and a count of connections.
/// </summary>
internal sealed class ScriptedTransports : IAsyncDisposable
{
    private readonly ConcurrentQueue<(ScriptedPeer Peer, ScriptedRuntime.ControlledTransport Transport)> _connections = new();

    /// <summary>How many times a runtime asked for a transport (0 means nothing was started).</summary>
    public int Count => _connections.Count;

    /// <summary>The transports handed out, oldest first.</summary>
    public IReadOnlyList<ScriptedRuntime.ControlledTransport> Transports => _connections.Select(c => c.Transport).ToArray();

    /// <summary>Sets <paramref name="config"/>'s transport factory to this one.</summary>
    public void ApplyTo(ClientConfig config) => config.Runtime.TransportFactory = Create;

    public async ValueTask DisposeAsync()
    {
        foreach (var (peer, _) in _connections)
        {
            await peer.DisposeAsync();
        }
    }

    private ValueTask<ICodexTransport> Create(CancellationToken cancellationToken)
    {
        var peer = ScriptedPeer.Create();
        var transport = new ScriptedRuntime.ControlledTransport(peer);
        _connections.Enqueue((peer, transport));
        _ = ScriptedRuntime.AnswerHandshakeAsync(peer);
        return ValueTask.FromResult<ICodexTransport>(transport);
    }
}
