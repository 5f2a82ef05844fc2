using System.Text.Json;

namespace CodexRuntime.Serialization;

/// <summary>Reads the <c>params</c> of one JSON-RPC message from its bytes (inbound messages and envelopes share it).</summary>
internal static class WireMessage
{
    /// <summary>How deep a message may nest; deeper lines are refused as malformed.</summary>
    public const int MaxDepth = 512;

    /// <summary>Deserializes <c>params</c> straight from a message's bytes: no intermediate document.</summary>
    public static T DeserializeParams<T>(ReadOnlySpan<byte> json, string method)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
        if (!MoveToParams(ref reader))
        {
            throw new JsonException($"'{method}' has no params.");
        }

        return JsonSerializer.Deserialize(ref reader, CodexJsonContext.WireTypeInfo<T>()) ?? throw new JsonException($"'{method}' has null params.");
    }

    /// <summary>Moves the reader to the value of the top-level <c>params</c> member; false when there is none.</summary>
    public static bool MoveToParams(ref Utf8JsonReader reader)
    {
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isParams = reader.ValueTextEquals("params"u8);
            reader.Read();
            if (isParams)
            {
                return true;
            }

            reader.Skip();
        }

        return false;
    }
}
