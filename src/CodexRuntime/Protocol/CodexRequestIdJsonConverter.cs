using System.Text.Json;
using System.Text.Json.Serialization;

namespace CodexRuntime.Protocol;

/// <summary>Reads and writes <see cref="CodexRequestId"/> as the JSON number or string it is on the wire.</summary>
internal sealed class CodexRequestIdJsonConverter : JsonConverter<CodexRequestId>
{
    public override CodexRequestId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Number when reader.TryGetInt64(out var number) => CodexRequestId.FromNumber(number),
        JsonTokenType.String => CodexRequestId.FromString(reader.GetString()!),
        _ => throw new JsonException($"A request id must be an integer or a string, not {reader.TokenType}."),
    };

    public override void Write(Utf8JsonWriter writer, CodexRequestId value, JsonSerializerOptions options) => value.WriteTo(writer);
}
