using System.Buffers;
using System.Text.Json;

namespace CodexRuntime.Events;

/// <summary>
/// Writes envelopes to a file as JSON Lines, one object per envelope:
/// <c>{"sequence":1,"timestamp":"...","direction":"inbound","kind":"notification","method":"turn/started","id":null,"threadId":"...","turnId":"...","itemId":null,"message":{...}}</c>,
/// where <c>message</c> is the wire message exactly as it passed. The file is appended to (created with its folder if
/// missing) and flushed every <see cref="FlushEvery"/> envelopes and whenever the queue runs empty.
/// </summary>
public sealed class JsonlFileEventSink : IEventSink
{
    private readonly FileStream _file;
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8JsonWriter _writer;
    private int _unflushed;

    /// <summary>Opens (appends to) <paramref name="path"/>.</summary>
    /// <param name="path">The file; its folder is created if missing.</param>
    /// <param name="flushEvery">Flush to the operating system after this many envelopes: 1 (the default) flushes every envelope.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="flushEvery"/> is less than 1.</exception>
    public JsonlFileEventSink(string path, int flushEvery = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(flushEvery, 1);
        FlushEvery = flushEvery;
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _file = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 64 * 1024, useAsync: true);
        _writer = new Utf8JsonWriter(_buffer);
    }

    /// <summary>The file's full path.</summary>
    public string Path { get; }

    /// <summary>Envelopes between flushes.</summary>
    public int FlushEvery { get; }

    /// <inheritdoc />
    public async ValueTask WriteAsync(CodexEnvelope envelope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        _writer.WriteStartObject();
        _writer.WriteNumber("sequence"u8, envelope.Sequence);
        _writer.WriteString("timestamp"u8, envelope.Timestamp);
        _writer.WriteString("direction"u8, envelope.Direction switch { CodexDirection.Inbound => "inbound", CodexDirection.Outbound => "outbound", _ => "local" });
        _writer.WriteString("kind"u8, envelope.Kind switch
        {
            CodexEnvelopeKind.Request => "request",
            CodexEnvelopeKind.Notification => "notification",
            CodexEnvelopeKind.Response => "response",
            _ => "lifecycle",
        });
        WriteNullable("method"u8, envelope.Method);
        _writer.WritePropertyName("id"u8);
        if (envelope.Id is { } id)
        {
            id.WriteTo(_writer);
        }
        else
        {
            _writer.WriteNullValue();
        }

        WriteNullable("threadId"u8, envelope.ThreadId);
        WriteNullable("turnId"u8, envelope.TurnId);
        WriteNullable("itemId"u8, envelope.ItemId);
        _writer.WritePropertyName("message"u8);
        _writer.WriteRawValue(envelope.Json.Span, skipInputValidation: true);
        _writer.WriteEndObject();
        _writer.Flush();
        _buffer.Write("\n"u8);
        await _file.WriteAsync(_buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        if (++_unflushed >= FlushEvery)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        _unflushed = 0;
        await _file.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync().ConfigureAwait(false);
        await _file.DisposeAsync().ConfigureAwait(false);
    }

    private void WriteNullable(ReadOnlySpan<byte> name, string? value)
    {
        if (value is null)
        {
            _writer.WriteNull(name);
        }
        else
        {
            _writer.WriteString(name, value);
        }
    }
}
