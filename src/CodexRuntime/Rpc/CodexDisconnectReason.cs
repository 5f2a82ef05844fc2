using System.Text.Json.Serialization;

namespace CodexRuntime.Rpc;

/// <summary>Why the connection to codex ended.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CodexDisconnectReason>))]
public enum CodexDisconnectReason
{
    /// <summary>The connection was disposed by its owner.</summary>
    Disposed,

    /// <summary>The codex process exited (or was killed) while the connection was open.</summary>
    ProcessExited,

    /// <summary>The server closed its output or the pipe broke, without a known process exit.</summary>
    StreamClosed,
}
