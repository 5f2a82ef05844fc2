using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using CodexRuntime.Transport;

namespace CodexRuntime.Tests.Transport;

/// <summary>The frame-per-message WebSocket seen as newline-delimited bytes, over a real loopback TCP connection.</summary>
public sealed class WebSocketLineStreamTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private WebSocket _client = null!;
    private WebSocket _server = null!;
    private readonly List<string> _closed = [];

    public async Task InitializeAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new TcpClient();
        var accept = listener.AcceptTcpClientAsync();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        var server = await accept;
        _client = WebSocket.CreateFromStream(client.GetStream(), new WebSocketCreationOptions { IsServer = false });
        _server = WebSocket.CreateFromStream(server.GetStream(), new WebSocketCreationOptions { IsServer = true });
    }

    public Task DisposeAsync()
    {
        _client.Dispose();
        _server.Dispose();
        return Task.CompletedTask;
    }

    private WebSocketLineStream Stream() => new(_client, _closed.Add);

    [Fact]
    public async Task Each_frame_becomes_one_line_and_raw_newlines_inside_become_spaces()
    {
        using var deadline = new CancellationTokenSource(Deadline);
        var big = "{\"text\":\"" + new string('x', 300_000) + "\"}";
        foreach (var message in new[] { "{\"id\":1}", "{\n  \"method\": \"turn/started\"\n}", big })
        {
            await _server.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, endOfMessage: true, deadline.Token);
        }

        await _server.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", deadline.Token);
        var reader = PipeReader.Create(Stream(), new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 16 * 1024));
        var text = new StringBuilder();
        while (true)
        {
            var read = await reader.ReadAsync(deadline.Token);
            foreach (var segment in read.Buffer)
            {
                text.Append(Encoding.UTF8.GetString(segment.Span));
            }

            reader.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
            {
                break;
            }
        }

        Assert.Equal(["{\"id\":1}", "{   \"method\": \"turn/started\" }", big, string.Empty], text.ToString().Split('\n'));
        Assert.Equal(["codex closed the WebSocket (bye)"], _closed);
    }

    [Fact]
    public async Task Each_written_line_becomes_one_text_message_even_when_split_across_writes()
    {
        using var deadline = new CancellationTokenSource(Deadline);
        await using var stream = Stream();
        await stream.WriteAsync("{\"id\":1}\n{\"id\""u8.ToArray(), deadline.Token);
        await stream.WriteAsync(":2}\n\n{\"id\":3}\n"u8.ToArray(), deadline.Token);

        var received = new List<string>();
        var buffer = new byte[1024];
        while (received.Count < 3)
        {
            var result = await _server.ReceiveAsync(buffer, deadline.Token);
            Assert.True(result.EndOfMessage, "A line was sent in more than one frame.");
            Assert.Equal(WebSocketMessageType.Text, result.MessageType);
            received.Add(Encoding.UTF8.GetString(buffer, 0, result.Count));
        }

        Assert.Equal(["{\"id\":1}", "{\"id\":2}", "{\"id\":3}"], received);
    }

    [Fact]
    public async Task A_broken_socket_ends_the_read_with_why()
    {
        using var deadline = new CancellationTokenSource(Deadline);
        var stream = Stream();
        _server.Abort();
        _server.Dispose();
        Assert.Equal(0, await stream.ReadAsync(new byte[16], deadline.Token));
        Assert.Single(_closed);
        Assert.StartsWith("the WebSocket connection to codex broke", _closed[0], StringComparison.Ordinal);
    }
}
