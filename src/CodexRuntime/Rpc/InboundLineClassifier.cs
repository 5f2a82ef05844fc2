using System.Buffers;
using System.Text.Json;
using CodexRuntime.Protocol;
using CodexRuntime.Serialization;

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
/// nothing is allocated except the method name and the routing ids. The pass also validates the whole line, so a
/// truncated or garbage line is rejected here and never reaches the JSON-RPC formatter (which would tear the
/// connection down).
/// </summary>
internal static class InboundLineClassifier
{
    /// <summary>codex payloads nest deeper than the default 64 (thread histories, tool schemas).</summary>
    internal const int MaxDepth = WireMessage.MaxDepth;

    public static InboundLineKind Classify(ReadOnlySequence<byte> line, out string? method, out CodexRequestId? id, out string? problem) =>
        Classify(line, null, out method, out id, out _, out problem);

    // strings: reuses repeating strings (methods, ids) across lines; null allocates each one.
    public static InboundLineKind Classify(ReadOnlySequence<byte> line, Utf8StringCache? strings, out string? method, out CodexRequestId? id, out RoutingIds ids, out string? problem)
    {
        ids = default;
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
                    method = reader.TokenType == JsonTokenType.String ? Read(ref reader, strings) : null;
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
                else if (reader.ValueTextEquals("params"u8))
                {
                    reader.Read();
                    ids = ReadRoutingIds(ref reader, strings);
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

    /// <summary>
    /// Reads a params value, picking up <c>threadId</c>, <c>turnId</c> and <c>itemId</c>, or the <c>id</c> of a nested
    /// <c>thread</c>, <c>turn</c> or <c>item</c> object (turn/started, item/completed, ...). Leaves the reader on the
    /// value's last token.
    /// </summary>
    private static string Read(ref Utf8JsonReader reader, Utf8StringCache? strings) =>
        strings is null ? reader.GetString()! : strings.Get(ref reader);

    private static RoutingIds ReadRoutingIds(ref Utf8JsonReader reader, Utf8StringCache? strings)
    {
        var ids = default(RoutingIds);
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return ids;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("threadId"u8))
            {
                ids.ThreadId = ReadString(ref reader, strings) ?? ids.ThreadId;
            }
            else if (reader.ValueTextEquals("turnId"u8))
            {
                ids.TurnId = ReadString(ref reader, strings) ?? ids.TurnId;
            }
            else if (reader.ValueTextEquals("itemId"u8))
            {
                ids.ItemId = ReadString(ref reader, strings) ?? ids.ItemId;
            }
            else if (reader.ValueTextEquals("delta"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String && reader.TokenStartIndex < int.MaxValue)
                {
                    // Only the position: the text is copied once, by whoever wants it.
                    ids.DeltaStart = (int)reader.TokenStartIndex + 1;
                    ids.DeltaLength = reader.HasValueSequence ? (int)reader.ValueSequence.Length : reader.ValueSpan.Length;
                    ids.DeltaEscaped = reader.ValueIsEscaped;
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("thread"u8))
            {
                reader.Read();
                // Always read (never short-circuit): the object must be consumed even when the id is already known.
                var nestedId = ReadNestedId(ref reader, strings, out _);
                ids.ThreadId ??= nestedId;
            }
            else if (reader.ValueTextEquals("turn"u8))
            {
                reader.Read();
                var nestedId = ReadNestedId(ref reader, strings, out _);
                ids.TurnId ??= nestedId;
            }
            else if (reader.ValueTextEquals("item"u8))
            {
                reader.Read();
                var nestedId = ReadNestedId(ref reader, strings, out var itemType);
                ids.ItemId ??= nestedId;
                ids.ItemType ??= itemType;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return ids;
    }

    private static string? ReadString(ref Utf8JsonReader reader, Utf8StringCache? strings)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return Read(ref reader, strings);
        }

        reader.Skip();
        return null;
    }

    /// <summary>The "id" (and "type") members of the object at the reader; the rest of the object is skipped.</summary>
    private static string? ReadNestedId(ref Utf8JsonReader reader, Utf8StringCache? strings, out string? type)
    {
        type = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        string? id = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (id is null && reader.ValueTextEquals("id"u8))
            {
                id = ReadString(ref reader, strings);
            }
            else if (type is null && reader.ValueTextEquals("type"u8))
            {
                type = ReadString(ref reader, strings);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return id;
    }
}
