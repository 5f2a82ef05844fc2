using System.Text.Json.Serialization;

namespace CodexRuntime.Automation;

/// <summary>
/// The run history's JSON: one record per line, so compact (not indented); every field of a record is required and
/// nullability is checked, so a line that lost a field is refused instead of read as a run with defaults.
/// Source-generated (no reflection; enums as their names).
/// </summary>
[JsonSourceGenerationOptions(
    WriteIndented = false,
    UseStringEnumConverter = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(AutomationRunRecord))]
internal sealed partial class AutomationHistoryJsonContext : JsonSerializerContext;
