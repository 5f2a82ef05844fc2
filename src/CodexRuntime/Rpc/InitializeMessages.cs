using System.Text.Json.Serialization;

namespace CodexRuntime.Rpc;

// The handshake's wire shapes. They are internal: the public face of the handshake is CodexConnectionOptions and
// CodexServerInfo, so the generated protocol types can replace these without an API change.

internal sealed record InitializeParams(
    [property: JsonPropertyName("clientInfo")] InitializeClientInfo ClientInfo,
    [property: JsonPropertyName("capabilities")] InitializeCapabilities? Capabilities);

internal sealed record InitializeClientInfo(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("title")] string? Title);

internal sealed record InitializeCapabilities(
    [property: JsonPropertyName("experimentalApi")] bool ExperimentalApi,
    [property: JsonPropertyName("optOutNotificationMethods")] IReadOnlyList<string>? OptOutNotificationMethods);

internal sealed record InitializeResult(
    [property: JsonPropertyName("userAgent")] string UserAgent,
    [property: JsonPropertyName("codexHome")] string? CodexHome,
    [property: JsonPropertyName("platformFamily")] string? PlatformFamily,
    [property: JsonPropertyName("platformOs")] string? PlatformOs);
