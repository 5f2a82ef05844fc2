using System.Text.Json.Serialization;

namespace CodexRuntime.Automation;

/// <summary>The package's JSON: the checkpoint and owner files, source-generated (no reflection; enums as their names).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, UseStringEnumConverter = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(AutomationCheckpoint))]
[JsonSerializable(typeof(AutomationOwner))]
internal sealed partial class AutomationJsonContext : JsonSerializerContext;
