using System.Text.Json.Serialization;

namespace CodexRuntime.Events;

/// <summary>Which way a message went.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CodexDirection>))]
public enum CodexDirection
{
    /// <summary>From codex to this process.</summary>
    Inbound,

    /// <summary>From this process to codex (recorded for audit).</summary>
    Outbound,

    /// <summary>Raised by the runtime itself (see <see cref="CodexEnvelopeKind.Lifecycle"/>); nothing crossed the wire.</summary>
    Local,
}
