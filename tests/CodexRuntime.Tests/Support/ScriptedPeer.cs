using System.Text;
using System.Threading.Channels;
using System.Text.Json.Nodes;
using CodexRuntime.Rpc;
using CodexRuntime.Transport;
using Nerdbank.Streams;

namespace CodexRuntime.Tests.Support;

/// <summary>
/// The server end of an in-memory duplex pipe: reads what the connection writes, line by line, and writes whatever
/// lines the test scripts (usually lines recorded from the real binary).
/// </summary>
internal sealed class ScriptedPeer : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly Stream _serverSide;
    private readonly StreamReader _reader;

    // One pump reads the pipe; callers take lines from this channel, so a read that timed out never leaves a second
    // read pending on the same StreamReader.
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();

    private ScriptedPeer(Stream serverSide, Stream clientSide)
    {
        _serverSide = serverSide;
        _reader = new StreamReader(serverSide, new UTF8Encoding(false));
        ClientTransport = new StreamTransport(clientSide);
        _ = Task.Run(PumpAsync);
    }

    public StreamTransport ClientTransport { get; }

    public static ScriptedPeer Create()
    {
        var (client, server) = FullDuplexStream.CreatePair();
        return new ScriptedPeer(server, client);
    }

    /// <summary>Creates a peer and a connection that completed the handshake against <paramref name="initializeResponse"/>.</summary>
    public static async Task<(ScriptedPeer Peer, CodexConnection Connection)> ConnectAsync(
        ICodexMessageObserver? observer = null,
        CodexConnectionOptions? options = null,
        string initializeResponse = """{"id":0,"result":{"userAgent":"codex_runtime_dotnet/0.169.0 (Debian 12.0.0; x86_64) xterm (codex_runtime_dotnet; 0.1.0)"}}""")
    {
        var peer = Create();
        var connecting = CodexConnection.ConnectAsync(peer.ClientTransport, options, observer);
        var initialize = await peer.ReadAsync();
        await peer.ReplyAsync(initialize, initializeResponse);
        var initialized = await peer.ReadLineAsync();
        Assert.Equal("""{"method":"initialized"}""", initialized);
        return (peer, await connecting.WaitAsync(Deadline));
    }

    /// <summary>Reads the next line the client wrote.</summary>
    public async Task<string> ReadLineAsync()
    {
        using var deadline = new CancellationTokenSource(Deadline);
        try
        {
            return await _lines.Reader.ReadAsync(deadline.Token);
        }
        catch (ChannelClosedException)
        {
            throw new EndOfStreamException("The client closed the pipe.");
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The client wrote nothing within {Deadline.TotalSeconds} s.");
        }
    }

    /// <summary>Reads the next line the client wrote as JSON.</summary>
    public async Task<JsonObject> ReadAsync() => JsonNode.Parse(await ReadLineAsync())!.AsObject();

    /// <summary>Writes one line as the server.</summary>
    public async Task WriteLineAsync(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line + "\n");
        await _serverSide.WriteAsync(bytes);
        await _serverSide.FlushAsync();
    }

    /// <summary>Writes raw bytes as the server (for lines split across writes).</summary>
    public async Task WriteBytesAsync(ReadOnlyMemory<byte> bytes)
    {
        await _serverSide.WriteAsync(bytes);
        await _serverSide.FlushAsync();
    }

    /// <summary>Writes <paramref name="recordedResponse"/> with its id replaced by the id of <paramref name="request"/>.</summary>
    public Task ReplyAsync(JsonObject request, string recordedResponse)
    {
        var response = JsonNode.Parse(recordedResponse)!.AsObject();
        response["id"] = request["id"]!.DeepClone();
        return WriteLineAsync(response.ToJsonString());
    }

    /// <summary>Closes the server's side: the client sees end of stream.</summary>
    public ValueTask CloseAsync() => _serverSide.DisposeAsync();

    private async Task PumpAsync()
    {
        try
        {
            while (await _reader.ReadLineAsync() is { } line)
            {
                _lines.Writer.TryWrite(line);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The pipe closed.
        }
        finally
        {
            _lines.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _serverSide.DisposeAsync();
        _reader.Dispose();
    }
}
