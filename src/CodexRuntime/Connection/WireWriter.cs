using System.Buffers;
using System.Text.Json;
using CodexRuntime.Protocol;
using CodexRuntime.Rpc;

namespace CodexRuntime;

/// <summary>
/// Writes the messages CodexRuntime sends without StreamJsonRpc (notifications, server-request replies, local
/// lifecycle envelopes), in codex's own framing: one JSON object, no "jsonrpc" member.
/// </summary>
internal static class WireWriter
{
    /// <summary>Writes one JSON object with the given body.</summary>
    public static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the answer to server request <paramref name="id"/>: its result (null when it has none) or its error.</summary>
    public static byte[] Reply(CodexRequestId id, CodexServerReply reply) => Write(writer =>
    {
        writer.WritePropertyName("id"u8);
        id.WriteTo(writer);
        if (reply.IsError)
        {
            writer.WriteStartObject("error"u8);
            writer.WriteNumber("code"u8, reply.ErrorCode);
            writer.WriteString("message"u8, reply.ErrorMessage);
            if (reply.ErrorData is { } data)
            {
                writer.WritePropertyName("data"u8);
                data.WriteTo(writer);
            }

            writer.WriteEndObject();
        }
        else
        {
            writer.WritePropertyName("result"u8);
            if (reply.Result is { ValueKind: not JsonValueKind.Undefined } result)
            {
                result.WriteTo(writer);
            }
            else
            {
                writer.WriteNullValue();
            }
        }
    });
}
