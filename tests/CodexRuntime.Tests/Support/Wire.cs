using System.Text.Json;
using System.Text.Json.Nodes;
using CodexRuntime.Serialization;

namespace CodexRuntime.Tests.Support;

/// <summary>Reads and writes protocol types with CodexRuntime's own serializer context, as the connection does.</summary>
internal static class Wire
{
    public static T Read<T>(string json) => (T)JsonSerializer.Deserialize(json, CodexJsonContext.WireOptions.GetTypeInfo(typeof(T)))!;

    public static T Read<T>(JsonNode node) => (T)JsonSerializer.Deserialize(node, CodexJsonContext.WireOptions.GetTypeInfo(typeof(T)))!;

    public static JsonElement Write<T>(T value) => JsonSerializer.SerializeToElement(value, CodexJsonContext.WireOptions.GetTypeInfo(typeof(T)));
}
