using System.Text.Json.Serialization;

namespace CodexRuntime.Hooks.Shell;

/// <summary>
/// The package's one source-generated serializer context: the context written to a shell hook's stdin and the
/// decision read back. No reflection-based JSON.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(ShellHookInput))]
[JsonSerializable(typeof(ShellHookDecision))]
internal sealed partial class ShellHookJsonContext : JsonSerializerContext;
