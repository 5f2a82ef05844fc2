using System.Text.Json;

namespace CodexRuntime.Protocol;

/// <summary>Used by the generated union converters to find a union's tag without parsing the value twice.</summary>
internal static class CodexUnionTag
{
    /// <summary>
    /// Returns the string value of the top-level member <paramref name="tagName"/> of the object at the reader's
    /// position, or null when the value is not an object or has no string tag. The reader is a copy: the caller's
    /// position is unchanged.
    /// </summary>
    public static string? Peek(Utf8JsonReader reader, ReadOnlySpan<byte> tagName)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isTag = reader.ValueTextEquals(tagName);
            reader.Read();
            if (isTag)
            {
                return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }

            reader.Skip();
        }

        return null;
    }
}
