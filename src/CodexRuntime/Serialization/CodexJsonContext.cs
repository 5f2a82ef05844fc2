using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace CodexRuntime.Serialization;

/// <summary>
/// The one source-generated serializer context for every type CodexRuntime puts on the wire: the generated protocol
/// and the raw JSON types. Its registrations are generated (CodexJsonContext.g.cs, by build/ProtocolGenerator). No
/// reflection-based JSON is used anywhere; a type missing here fails loudly in tests, which run with reflection-based
/// JSON turned off.
/// </summary>
public sealed partial class CodexJsonContext : JsonSerializerContext
{
    /// <summary>Options for reading and writing protocol payloads outside a connection (null fields are omitted).</summary>
    /// <remarks>These are the context's own options; a static initializer here could run before the generated part's <c>Default</c> exists.</remarks>
    public static JsonSerializerOptions WireOptions => Default.Options;

    /// <summary>The typed contract of <typeparamref name="T"/> under <see cref="WireOptions"/>.</summary>
    internal static JsonTypeInfo<T> WireTypeInfo<T>() => (JsonTypeInfo<T>)WireOptions.GetTypeInfo(typeof(T));

    /// <summary>Serializer options for the JSON-RPC formatter: this context first, then the caller's resolver.</summary>
    /// <param name="extra">An additional resolver for the caller's own types.</param>
    /// <returns>New options.</returns>
    public static JsonSerializerOptions CreateOptions(IJsonTypeInfoResolver? extra) => new()
    {
        TypeInfoResolver = extra is null ? Default : JsonTypeInfoResolver.Combine(Default, extra),
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };
}
