using System.Text.Json.Nodes;

namespace CodexRuntime.ProtocolGenerator;

/// <summary>One codex version's schema bundle, with and without experimental methods and fields.</summary>
internal sealed class SchemaSet
{
    public const string StableFile = "codex_app_server_protocol.schemas.json";
    public const string ExperimentalFile = "codex_app_server_protocol.experimental.schemas.json";

    private SchemaSet(string version, JsonObject stable, JsonObject experimental)
        : this(version, Flatten(stable), Flatten(experimental))
    {
    }

    private SchemaSet(string version, IReadOnlyDictionary<string, JsonObject> stable, IReadOnlyDictionary<string, JsonObject> experimental)
    {
        Version = version;
        Stable = stable;
        Experimental = experimental;
    }

    public string Version { get; }

    /// <summary>Definitions by name (root and v2 merged; v2 wins, as the app-server's own v2 API does).</summary>
    public IReadOnlyDictionary<string, JsonObject> Stable { get; }

    public IReadOnlyDictionary<string, JsonObject> Experimental { get; }

    public static SchemaSet Load(string folder, string version) => new(
        version,
        JsonNode.Parse(File.ReadAllText(Path.Combine(folder, StableFile)))!.AsObject(),
        JsonNode.Parse(File.ReadAllText(Path.Combine(folder, ExperimentalFile)))!.AsObject());

    /// <summary>The same schema with some definitions under other names (keys only; <c>$ref</c> strings are mapped by the reader).</summary>
    public SchemaSet WithRenamedDefinitions(IReadOnlyDictionary<string, string> renames)
    {
        Dictionary<string, JsonObject> Rename(IReadOnlyDictionary<string, JsonObject> definitions) =>
            definitions.ToDictionary(pair => renames.GetValueOrDefault(pair.Key, pair.Key), pair => pair.Value, StringComparer.Ordinal);
        return new SchemaSet(Version, Rename(Stable), Rename(Experimental));
    }

    /// <summary>Method names of one of the envelope unions (ClientRequest, ServerNotification, ServerRequest, ClientNotification).</summary>
    public static IEnumerable<(string Method, JsonObject Variant)> Methods(IReadOnlyDictionary<string, JsonObject> definitions, string union)
    {
        if (!definitions.TryGetValue(union, out var schema))
        {
            yield break;
        }

        foreach (var variant in schema["oneOf"]!.AsArray())
        {
            var method = (string)variant!["properties"]!["method"]!["enum"]![0]!;
            yield return (method, variant.AsObject());
        }
    }

    private static Dictionary<string, JsonObject> Flatten(JsonObject bundle)
    {
        var result = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var definitions = bundle["definitions"]!.AsObject();
        foreach (var (name, schema) in definitions)
        {
            if (name != "v2" && schema is JsonObject o)
            {
                result[name] = o;
            }
        }

        if (definitions["v2"] is JsonObject v2)
        {
            foreach (var (name, schema) in v2)
            {
                result[name] = schema!.AsObject();
            }
        }

        return result;
    }

    /// <summary>The definition name a "$ref" points to ("#/definitions/v2/X" and "#/definitions/X" both name X).</summary>
    public static string RefName(string reference) => reference[(reference.LastIndexOf('/') + 1)..];
}
