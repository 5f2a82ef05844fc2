using System.Text.Json.Serialization;

namespace CodexRuntime.Transport;

/// <summary>How an app-server is reached.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CodexEndpointKind>))]
public enum CodexEndpointKind
{
    /// <summary>A child process on stdin/stdout, newline-delimited JSON (<c>stdio://</c>, codex's default).</summary>
    Stdio,

    /// <summary>WebSocket over a Unix domain socket (<c>unix:///path</c>); the socket file's permissions are the access control.</summary>
    UnixSocket,

    /// <summary>WebSocket over TCP (<c>ws://IP:PORT</c>); a token guards it.</summary>
    WebSocket,
}
