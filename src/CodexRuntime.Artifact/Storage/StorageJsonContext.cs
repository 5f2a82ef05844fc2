using System.Text.Json.Serialization;

namespace CodexRuntime.Artifact.Storage;

/// <summary>The lock file's JSON (source-generated, so it works with reflection-based JSON turned off and under trimming).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LockOwner))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;
