using System.Text.Json.Serialization;

namespace CodexRuntime.Diagnostics;

/// <summary>Which of codex's own signals a <see cref="CodexNotice"/> is.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CodexNoticeKind>))]
public enum CodexNoticeKind
{
    /// <summary><c>error</c> with <c>willRetry</c>: codex retries on its own (e.g. the model provider is unreachable).</summary>
    Retrying,

    /// <summary><c>error</c> without retry: the turn fails with it.</summary>
    Error,

    /// <summary><c>warning</c>: about a thread or the session (e.g. missing model metadata).</summary>
    Warning,

    /// <summary><c>configWarning</c>: codex's configuration (config.toml, sandbox prerequisites).</summary>
    ConfigWarning,

    /// <summary><c>deprecationNotice</c>: something the client did is deprecated (with what to do instead).</summary>
    DeprecationNotice,
}
