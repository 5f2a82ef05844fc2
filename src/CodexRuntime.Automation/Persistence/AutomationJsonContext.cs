using System.Text.Json.Serialization;

namespace CodexRuntime.Automation.Persistence;

/// <summary>The package's JSON: the checkpoint file, source-generated (no reflection; enums as their names).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, UseStringEnumConverter = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(AutomationCheckpoint))]
internal sealed partial class AutomationJsonContext : JsonSerializerContext;
