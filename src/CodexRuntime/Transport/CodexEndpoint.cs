using System.Globalization;
using System.Net;

namespace CodexRuntime.Transport;

/// <summary>
/// Where a codex app-server listens, in the form <c>codex app-server --listen</c> takes: <c>stdio://</c>,
/// <c>unix:///absolute/path</c> or <c>ws://IP:PORT</c>. Both socket forms speak WebSocket with one JSON-RPC message
/// per text frame (docs/transports.md).
/// </summary>
public sealed class CodexEndpoint : IEquatable<CodexEndpoint>
{
    private CodexEndpoint(CodexEndpointKind kind, string? socketPath, string? host, int port)
    {
        Kind = kind;
        SocketPath = socketPath;
        Host = host;
        Port = port;
    }

    /// <summary>The child process on stdio (the default transport).</summary>
    public static CodexEndpoint Stdio { get; } = new(CodexEndpointKind.Stdio, null, null, 0);

    /// <summary>Which transport this is.</summary>
    public CodexEndpointKind Kind { get; }

    /// <summary>The socket path for <see cref="CodexEndpointKind.UnixSocket"/>; null otherwise.</summary>
    public string? SocketPath { get; }

    /// <summary>The IP address (or host name) for <see cref="CodexEndpointKind.WebSocket"/>; null otherwise.</summary>
    public string? Host { get; }

    /// <summary>The TCP port for <see cref="CodexEndpointKind.WebSocket"/>; 0 otherwise.</summary>
    public int Port { get; }

    /// <summary>True for a <c>ws://</c> endpoint on a loopback address (127.0.0.0/8, ::1 or <c>localhost</c>).</summary>
    public bool IsLoopback => Kind == CodexEndpointKind.WebSocket
        && (string.Equals(Host, "localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(Host, out var address) && IPAddress.IsLoopback(address)));

    /// <summary>A Unix-socket endpoint.</summary>
    /// <param name="path">Absolute path of the socket (codex makes it a symlink into its per-user daemon folder).</param>
    /// <returns>The endpoint.</returns>
    public static CodexEndpoint UnixSocket(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!Path.IsPathRooted(path))
        {
            throw new ArgumentException($"The Unix socket path '{path}' must be absolute (codex resolves relative paths against its own working directory).", nameof(path));
        }

        return new CodexEndpoint(CodexEndpointKind.UnixSocket, path, null, 0);
    }

    /// <summary>A WebSocket-over-TCP endpoint.</summary>
    /// <param name="host">The IP address codex binds (keep it on loopback unless a token guards it).</param>
    /// <param name="port">The TCP port, 1..65535.</param>
    /// <returns>The endpoint.</returns>
    public static CodexEndpoint WebSocket(string host, int port)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        return new CodexEndpoint(CodexEndpointKind.WebSocket, null, host, port);
    }

    /// <summary>Parses <c>stdio://</c>, <c>unix:///path</c> or <c>ws://IP:PORT</c>.</summary>
    /// <param name="value">The endpoint URL.</param>
    /// <returns>The endpoint.</returns>
    /// <exception cref="FormatException">Not one of the three forms; the message says which forms are accepted.</exception>
    public static CodexEndpoint Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (TryParse(value, out var endpoint, out var problem))
        {
            return endpoint;
        }

        throw new FormatException($"'{value}' is not a codex endpoint: {problem}. Use stdio://, unix:///absolute/path or ws://IP:PORT.");
    }

    /// <summary>Parses an endpoint URL without throwing.</summary>
    /// <param name="value">The endpoint URL.</param>
    /// <param name="endpoint">The endpoint when the result is true.</param>
    /// <returns>True when <paramref name="value"/> is one of the accepted forms.</returns>
    public static bool TryParse(string? value, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CodexEndpoint? endpoint) =>
        TryParse(value, out endpoint, out _);

    private static bool TryParse(string? value, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CodexEndpoint? endpoint, out string problem)
    {
        endpoint = null;
        problem = "it is empty";
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        if (string.Equals(value, "stdio://", StringComparison.OrdinalIgnoreCase) || string.Equals(value, "stdio", StringComparison.OrdinalIgnoreCase))
        {
            endpoint = Stdio;
            return true;
        }

        const string unix = "unix://";
        if (value.StartsWith(unix, StringComparison.OrdinalIgnoreCase))
        {
            var path = value[unix.Length..];
            if (!path.StartsWith('/'))
            {
                // codex's bare "unix://" means its per-user default socket; we need a path we can connect to.
                problem = "the Unix socket path must be given and absolute (unix:///absolute/path)";
                return false;
            }

            endpoint = new CodexEndpoint(CodexEndpointKind.UnixSocket, Uri.UnescapeDataString(path), null, 0);
            return true;
        }

        if (value.StartsWith("ws://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.IsDefaultPort || uri.Port <= 0 || (uri.AbsolutePath != "/" && uri.AbsolutePath.Length > 0))
            {
                problem = "a WebSocket endpoint needs an address and an explicit port and no path (ws://127.0.0.1:4500)";
                return false;
            }

            endpoint = new CodexEndpoint(CodexEndpointKind.WebSocket, null, uri.IdnHost, uri.Port);
            return true;
        }

        problem = value.StartsWith("wss://", StringComparison.OrdinalIgnoreCase)
            ? "codex's listener speaks plain ws:// (put TLS in front of it and attach through the tunnel's local end)"
            : "the scheme is not stdio, unix or ws";
        return false;
    }

    /// <summary>The URI a WebSocket client connects to (for a Unix socket the host part is a placeholder).</summary>
    internal Uri WebSocketUri => Kind switch
    {
        CodexEndpointKind.WebSocket => new Uri(string.Create(CultureInfo.InvariantCulture, $"ws://{FormatHost(Host!)}:{Port}/")),
        CodexEndpointKind.UnixSocket => new Uri("ws://localhost/"),
        _ => throw new InvalidOperationException("stdio:// has no WebSocket URI."),
    };

    private static string FormatHost(string host) => host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;

    /// <summary>The URL as <c>codex app-server --listen</c> takes it.</summary>
    /// <returns><c>stdio://</c>, <c>unix:///path</c> or <c>ws://IP:PORT</c>.</returns>
    public override string ToString() => Kind switch
    {
        CodexEndpointKind.UnixSocket => "unix://" + SocketPath,
        CodexEndpointKind.WebSocket => string.Create(CultureInfo.InvariantCulture, $"ws://{FormatHost(Host!)}:{Port}"),
        _ => "stdio://",
    };

    /// <inheritdoc />
    public bool Equals(CodexEndpoint? other) => other is not null && string.Equals(ToString(), other.ToString(), StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as CodexEndpoint);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());
}
