using System.Text.Json.Serialization;

namespace CodexRuntime.Artifact.Storage;

/// <summary>The file store's JSON (source-generated, so it works with reflection-based JSON turned off and under trimming).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StoredMeta))]
[JsonSerializable(typeof(LockOwner))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;
