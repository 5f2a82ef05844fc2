using System.Text.Json.Serialization;

namespace CodexRuntime.Transport;

/// <summary>Where <see cref="CodexBinaryLocator"/> found the codex executable.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CodexBinarySource>))]
public enum CodexBinarySource
{
    /// <summary>The path given explicitly in configuration.</summary>
    ExplicitPath,

    /// <summary>The <c>CODEX_CLI_PATH</c> environment variable.</summary>
    EnvironmentVariable,

    /// <summary>A <c>codex</c> executable on <c>PATH</c>.</summary>
    SearchPath,
}
