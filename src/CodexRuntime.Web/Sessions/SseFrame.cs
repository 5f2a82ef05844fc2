using System.Buffers.Text;
using System.Text;

namespace CodexRuntime.Web.Sessions;

/// <summary>Formats one Server-Sent Events frame as UTF-8 bytes, once per event, for every client to write as is.</summary>
internal static class SseFrame
{
    /// <summary>A heartbeat: an event without an id, so it never moves a client's <c>Last-Event-ID</c>.</summary>
    public static readonly byte[] Heartbeat = "event: heartbeat\ndata: {}\n\n"u8.ToArray();

    /// <summary><c>id: <paramref name="id"/>\nevent: <paramref name="kind"/>\ndata: <paramref name="data"/>\n\n</c>.</summary>
    /// <param name="id">The id; null for none (the frame does not move the client's <c>Last-Event-ID</c>).</param>
    /// <param name="kind">The kind (no line breaks).</param>
    /// <param name="data">The data; a line break in it (none in compact JSON) starts another <c>data:</c> line, as SSE reads it back.</param>
    /// <returns>The frame.</returns>
    public static byte[] Format(long? id, string kind, string data)
    {
        if (data.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            data = data.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Replace("\n", "\ndata: ", StringComparison.Ordinal);
        }

        Span<byte> digits = stackalloc byte[20];
        var idLength = 0;
        if (id is { } value)
        {
            Utf8Formatter.TryFormat(value, digits, out idLength);
        }

        var head = id is null ? 0 : 4 + idLength + 1;
        var length = head + 7 + Encoding.UTF8.GetByteCount(kind) + 7 + Encoding.UTF8.GetByteCount(data) + 2;
        var frame = new byte[length];
        var span = frame.AsSpan();
        if (id is not null)
        {
            "id: "u8.CopyTo(span);
            digits[..idLength].CopyTo(span[4..]);
            span[4 + idLength] = (byte)'\n';
            span = span[head..];
        }

        "event: "u8.CopyTo(span);
        span = span[7..];
        span = span[Encoding.UTF8.GetBytes(kind, span)..];
        "\ndata: "u8.CopyTo(span);
        span = span[7..];
        span = span[Encoding.UTF8.GetBytes(data, span)..];
        "\n\n"u8.CopyTo(span);
        return frame;
    }
}
