using System.Net;
using System.Net.Sockets;

namespace CodexRuntime.Orleans.Tests.Support;

/// <summary>
/// Loopback ports for servers that must be told their port before they bind (silo and gateway ports, redis-server).
/// </summary>
/// <remarks>
/// Picked at random below Linux's ephemeral range (32768-60999 by default), never by binding port 0 and releasing
/// it: a released ephemeral port is the next one the kernel hands to any outgoing connection or port-0 listener of
/// this machine, so another socket could take it before the server binds it. Below that range only a server told its
/// port binds one, and each pick is checked free by binding it. Two tests can still pick the same free port at the
/// same time; a start that fails with "address in use" is therefore retried once on new ports
/// (<see cref="RetryOnceAsync{T}"/>).
/// </remarks>
internal static class LoopbackPorts
{
    private const int Lowest = 20000;
    private const int Highest = 32000;

    /// <summary><paramref name="count"/> distinct ports, each free on loopback when picked.</summary>
    public static int[] Pick(int count)
    {
        var picked = new HashSet<int>();
        for (var attempt = 0; picked.Count < count; attempt++)
        {
            if (attempt == 1000)
            {
                throw new InvalidOperationException($"Found only {picked.Count} of {count} free loopback ports in {Lowest}-{Highest} after {attempt} attempts.");
            }

            var port = Random.Shared.Next(Lowest, Highest);
            if (!picked.Contains(port) && IsFree(port))
            {
                picked.Add(port);
            }
        }

        return [.. picked];
    }

    /// <summary>Runs <paramref name="start"/>, and once more (it picks new ports) when it failed because a port was taken.</summary>
    public static async Task<T> RetryOnceAsync<T>(Func<Task<T>> start)
    {
        try
        {
            return await start();
        }
        catch (Exception ex) when (IsAddressInUse(ex))
        {
            return await start();
        }
    }

    /// <summary>Whether <paramref name="exception"/> or one it wraps says a port was taken.</summary>
    public static bool IsAddressInUse(Exception exception) => exception switch
    {
        SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsAddressInUse),
        _ when IsAddressInUse(exception.Message) => true,
        { InnerException: { } inner } => IsAddressInUse(inner),
        _ => false,
    };

    /// <summary>Whether a server's output or an error message says a port was taken (how Kestrel, Orleans and redis-server word it).</summary>
    public static bool IsAddressInUse(string text) =>
        text.Contains("address already in use", StringComparison.OrdinalIgnoreCase) || text.Contains("AddressInUse", StringComparison.Ordinal);

    private static bool IsFree(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
