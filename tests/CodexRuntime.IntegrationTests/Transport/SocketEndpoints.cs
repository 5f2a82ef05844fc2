using System.Net;
using System.Net.Sockets;
using CodexRuntime.Transport;

namespace CodexRuntime.IntegrationTests.Transport;

/// <summary>Fresh endpoints for one test: a short Unix socket path (the kernel caps it at 108 bytes) or a free loopback port.</summary>
internal static class SocketEndpoints
{
    public static CodexEndpoint Create(string kind) => kind switch
    {
        "unix" => CodexEndpoint.UnixSocket(Path.Combine(Path.GetTempPath(), $"cxrt-{Guid.NewGuid():N}"[..13] + ".sock")),
        "ws" => CodexEndpoint.WebSocket("127.0.0.1", FreePort()),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unix or ws"),
    };

    /// <summary>A port the OS just handed out; codex binds it a moment later (another process taking it first would fail the test loudly, not wrongly).</summary>
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
