using System.Buffers;
using System.Net.WebSockets;

namespace CodexRuntime.Transport;

/// <summary>
/// Presents a WebSocket that carries one JSON-RPC message per text frame as the newline-delimited byte stream the
/// connection reads and writes on stdio, so the connection and its message handler stay the same for every transport
/// and the stdio path gains no layer. Inbound, a message is received straight into the reader's buffer and a '\n'
/// follows it; a raw '\n' inside a message can only be insignificant JSON whitespace (control characters in strings
/// are escaped), so it becomes a space. Outbound, each line becomes one text message.
/// </summary>
internal sealed class WebSocketLineStream : Stream
{
    private readonly WebSocket _socket;
    private readonly Action<string> _closed;
    private readonly ArrayBufferWriter<byte> _partial = new(256);
    private bool _lineEndPending;
    private int _ended;

    /// <param name="socket">The connected WebSocket.</param>
    /// <param name="closed">Called once, with why, when the peer closes or the socket fails.</param>
    public WebSocketLineStream(WebSocket socket, Action<string> closed)
    {
        _socket = socket;
        _closed = closed;
    }

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        if (_lineEndPending)
        {
            _lineEndPending = false;
            buffer.Span[0] = (byte)'\n';
            return 1;
        }

        while (true)
        {
            ValueWebSocketReceiveResult result;
            try
            {
                result = await _socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or IOException)
            {
                End($"the WebSocket connection to codex broke ({ex.Message})");
                return 0;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                End(_socket.CloseStatusDescription is { Length: > 0 } why ? $"codex closed the WebSocket ({why})" : "codex closed the WebSocket");
                return 0;
            }

            var received = buffer.Span[..result.Count];
            received.Replace((byte)'\n', (byte)' ');
            if (result.EndOfMessage)
            {
                if (result.Count < buffer.Length)
                {
                    buffer.Span[result.Count] = (byte)'\n';
                    return result.Count + 1;
                }

                _lineEndPending = true;
            }

            if (result.Count > 0)
            {
                return result.Count;
            }
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            while (!buffer.IsEmpty)
            {
                var lineEnd = buffer.Span.IndexOf((byte)'\n');
                if (lineEnd < 0)
                {
                    // A line split across flushes: keep the start until its end arrives (one message per line).
                    _partial.Write(buffer.Span);
                    return;
                }

                var line = buffer[..lineEnd];
                buffer = buffer[(lineEnd + 1)..];
                if (_partial.WrittenCount > 0)
                {
                    _partial.Write(line.Span);
                    line = _partial.WrittenMemory;
                }

                if (!line.IsEmpty)
                {
                    await _socket.SendAsync(line, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
                }

                _partial.ResetWrittenCount();
            }
        }
        catch (WebSocketException ex)
        {
            // The connection's write path expects a broken pipe to look like one.
            End($"the WebSocket connection to codex broke ({ex.Message})");
            throw new IOException(ex.Message, ex);
        }
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Use ReadAsync.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("Use WriteAsync.");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private void End(string why)
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
        {
            _closed(why);
        }
    }
}
