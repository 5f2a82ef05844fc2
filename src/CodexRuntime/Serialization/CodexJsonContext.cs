using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using CodexRuntime.Rpc;

namespace CodexRuntime.Serialization;

/// <summary>
/// The source-generated serializer context for every type CodexRuntime puts on the wire. No reflection-based JSON is
/// used anywhere; a type missing here fails loudly in tests, which run with reflection-based JSON turned off.
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(InitializeParams))]
[JsonSerializable(typeof(InitializeResult))]
internal sealed partial class CodexJsonContext : JsonSerializerContext
{
    /// <summary>Serializer options for the JSON-RPC formatter: this context first, then the caller's resolver.</summary>
    public static JsonSerializerOptions CreateOptions(IJsonTypeInfoResolver? extra) => new()
    {
        TypeInfoResolver = extra is null ? Default : JsonTypeInfoResolver.Combine(Default, extra),
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };
}
