using System.Net;
using System.Net.Sockets;
using CodexRuntime.Testing;
using CodexRuntime.Tests.Shared;
using CodexRuntime.Web.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace CodexRuntime.Orleans.Tests;

/// <summary>
/// A cluster of web replicas, each a real ASP.NET Core app on loopback HTTP that co-hosts an Orleans silo (localhost
/// clustering, the first replica's silo as the primary) and runs its own real codex with its own CODEX_HOME, workspace
/// and FakeModelServer (each with the same script): what a deployment behind a load balancer runs, in one process.
/// </summary>
internal sealed class Replicas : IAsyncDisposable
{
    private readonly List<WebHost> _hosts;

    private Replicas(List<WebHost> hosts) => _hosts = hosts;

    public WebHost this[int replica] => _hosts[replica - 1];

    public IReadOnlyList<WebHost> All => _hosts;

    /// <summary>Starts the replicas one after another (each silo joins the cluster as its app starts).</summary>
    /// <param name="count">How many replicas.</param>
    /// <param name="script">Each replica's model script.</param>
    /// <param name="responseTimeout">Orleans' response timeout (a grain stream's pull waits half of it); Orleans' default when null.</param>
    public static async Task<Replicas> StartAsync(int count, FakeModelResponse[] script, TimeSpan? responseTimeout = null, string? redis = null, Action<CodexOrleansOptions>? orleans = null)
    {
        var ports = FreePorts(count * 2);
        var primary = new IPEndPoint(IPAddress.Loopback, ports[0]);
        var clusterId = "codex-" + Guid.NewGuid().ToString("N");
        var hosts = new List<WebHost>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var (siloPort, gatewayPort) = (ports[2 * i], ports[(2 * i) + 1]);
                hosts.Add(await WebHost.StartAsync(CodexVersions.Newest, script, setup: (builder, codex) =>
                {
                    codex.UseOrleans(orleans);
                    builder.UseOrleans(silo =>
                    {
                        if (redis is null)
                        {
                            silo.UseLocalhostClustering(siloPort, gatewayPort, primary, "codex-web", clusterId);
                            silo.AddMemoryGrainStorage(CodexOrleansOptions.DefaultStorageName);
                        }
                        else
                        {
                            silo.ConfigureEndpoints(IPAddress.Loopback, siloPort, gatewayPort);
                            silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, "codex-web"));
                            silo.UseRedisClustering(redis);
                            silo.AddRedisGrainStorage(CodexOrleansOptions.DefaultStorageName, o => o.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(redis));
                        }
                        if (responseTimeout is { } timeout)
                        {
                            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = timeout);
                            silo.Configure<MessagingOptions>(o => o.ResponseTimeout = timeout);
                        }
                    });
                }));
            }
        }
        catch
        {
            await new Replicas(hosts).DisposeAsync();
            throw;
        }

        return new Replicas(hosts);
    }

    /// <summary>Stops the replicas, the primary silo last (the others leave the cluster it keeps).</summary>
    public async ValueTask DisposeAsync()
    {
        for (var i = _hosts.Count - 1; i >= 0; i--)
        {
            await _hosts[i].DisposeAsync();
        }
    }

    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }
}
