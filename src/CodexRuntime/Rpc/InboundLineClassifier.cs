using System.Buffers;
using System.Text.Json;

namespace CodexRuntime.Rpc;

/// <summary>What an inbound line is, decided from its top-level members alone.</summary>
internal enum InboundLineKind
{
    Notification,
    ServerRequest,
    Response,
    Invalid,
}

/// <summary>
/// Classifies one inbound line with a single forward pass of <see cref="Utf8JsonReader"/>: no document is built,
/// nothing is allocated except the method name. The pass also validates the whole line, so a truncated or garbage
/// line is rejected here and never reaches the JSON-RPC formatter (which would tear the connection down).
/// </summary>
internal static class InboundLineClassifier
{
    /// <summary>codex payloads nest deeper than the default 64 (thread histories, tool schemas).</summary>
    internal const int MaxDepth = 512;

    public static InboundLineKind Classify(ReadOnlySequence<byte> line, out string? method, out CodexRequestId? id, out string? problem)
    {
        method = null;
        id = null;
        problem = null;
        bool hasResult = false, hasError = false;
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = MaxDepth, AllowTrailingCommas = false });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                problem = "not a JSON object";
                return InboundLineKind.Invalid;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("method"u8))
                {
                    reader.Read();
                    method = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    if (method is null)
                    {
                        problem = "'method' is not a string";
                        return InboundLineKind.Invalid;
                    }
                }
                else if (reader.ValueTextEquals("id"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var number))
                    {
                        id = CodexRequestId.FromNumber(number);
                    }
                    else if (reader.TokenType == JsonTokenType.String)
                    {
                        id = CodexRequestId.FromString(reader.GetString()!);
                    }
                    else if (reader.TokenType != JsonTokenType.Null)
                    {
                        problem = "'id' is neither a number nor a string";
                        return InboundLineKind.Invalid;
                    }
                }
                else
                {
                    hasResult |= reader.ValueTextEquals("result"u8);
                    hasError |= reader.ValueTextEquals("error"u8);
                    reader.Read();
                    reader.Skip();
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                problem = "trailing data after the JSON object";
                return InboundLineKind.Invalid;
            }
        }
        catch (JsonException ex)
        {
            problem = $"invalid JSON at byte {ex.BytePositionInLine}";
            return InboundLineKind.Invalid;
        }

        if (method is not null)
        {
            return id is null ? InboundLineKind.Notification : InboundLineKind.ServerRequest;
        }

        if (id is not null && (hasResult || hasError))
        {
            return InboundLineKind.Response;
        }

        problem = "neither a request, a notification nor a response";
        return InboundLineKind.Invalid;
    }
}
