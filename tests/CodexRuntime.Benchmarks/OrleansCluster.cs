using System.Net;
using System.Net.Sockets;

namespace CodexRuntime.Benchmarks;

/// <summary>
/// An in-process Orleans cluster of <see cref="OrleansSilo"/>s (localhost clustering, the first silo the primary), on
/// ports below the ephemeral range so that no outgoing connection of the machine takes one between the check and the
/// silo's bind.
/// </summary>
internal sealed class OrleansCluster : IAsyncDisposable
{
    private readonly List<OrleansSilo> _silos;

    private OrleansCluster(List<OrleansSilo> silos) => _silos = silos;

    public IReadOnlyList<OrleansSilo> Silos => _silos;

    /// <summary>Starts <paramref name="count"/> silos one after another (each joins as it starts).</summary>
    /// <param name="count">How many silos.</param>
    /// <param name="sessions">The most sessions one silo may hold.</param>
    public static async Task<OrleansCluster> StartAsync(int count, int sessions)
    {
        var ports = FreePorts(count * 2);
        var primary = new IPEndPoint(IPAddress.Loopback, ports[0]);
        var clusterId = "codex-bench-" + Guid.NewGuid().ToString("N");
        var silos = new List<OrleansSilo>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                silos.Add(await OrleansSilo.StartAsync(ports[2 * i], ports[(2 * i) + 1], primary, clusterId, sessions));
            }
        }
        catch
        {
            await new OrleansCluster(silos).DisposeAsync();
            throw;
        }

        return new OrleansCluster(silos);
    }

    /// <summary>Stops the silos in reverse order, the primary last (the others leave the membership it keeps).</summary>
    public async ValueTask DisposeAsync()
    {
        for (var i = _silos.Count - 1; i >= 0; i--)
        {
            await _silos[i].DisposeAsync();
        }
    }

    /// <summary>Distinct ports in 20000-29999 that were free when bound (held together, so none is picked twice).</summary>
    private static int[] FreePorts(int count)
    {
        var listeners = new List<TcpListener>();
        try
        {
            while (listeners.Count < count)
            {
                var listener = new TcpListener(IPAddress.Loopback, Random.Shared.Next(20_000, 30_000));
                try
                {
                    listener.Start();
                    listeners.Add(listener);
                }
                catch (SocketException)
                {
                    // Taken (or picked twice): draw another.
                    listener.Dispose();
                }
            }

            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            listeners.ForEach(l => l.Dispose());
        }
    }
}
