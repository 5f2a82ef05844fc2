using System.Text.Json.Serialization;

namespace CodexRuntime.Artifact;

/// <summary>The file store's meta JSON (source-generated, so it works with reflection-based JSON turned off and under trimming).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StoredMeta))]
internal sealed partial class StoredMetaJsonContext : JsonSerializerContext;
