using System.Net;
using CodexRuntime.Orleans.Tests.Support;
using CodexRuntime.Testing;
using CodexRuntime.Tests.Shared;
using CodexRuntime.Web.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;

namespace CodexRuntime.Orleans.Tests;

/// <summary>
/// A cluster of web replicas, each a real ASP.NET Core app on loopback HTTP that co-hosts an Orleans silo and runs its
/// own real codex with its own CODEX_HOME, workspace and FakeModelServer (each with the same script): what a deployment
/// behind a load balancer runs, in one process. Membership and session records are in memory (localhost clustering,
/// the first replica's silo as the primary) or on a redis-server of the cluster's own (<see cref="ReplicaBackend"/>).
/// </summary>
internal sealed class Replicas : IAsyncDisposable
{
    private readonly List<WebHost> _hosts;
    private readonly RedisServer? _redis;

    private Replicas(List<WebHost> hosts, RedisServer? redis)
    {
        _hosts = hosts;
        _redis = redis;
    }

    public WebHost this[int replica] => _hosts[replica - 1];

    public IReadOnlyList<WebHost> All => _hosts;

    /// <summary>Starts the replicas one after another (each silo joins the cluster as its app starts).</summary>
    /// <param name="count">How many replicas.</param>
    /// <param name="script">Each replica's model script.</param>
    /// <param name="responseTimeout">Orleans' response timeout (a grain stream's pull waits half of it); Orleans' default when null.</param>
    /// <param name="backend">Where membership and session records are kept.</param>
    /// <param name="orleans">The replicas' <see cref="CodexOrleansOptions"/> (the drain time); the defaults when null.</param>
    public static Task<Replicas> StartAsync(int count, FakeModelResponse[] script, TimeSpan? responseTimeout = null, ReplicaBackend backend = ReplicaBackend.InMemory, Action<CodexOrleansOptions>? orleans = null) =>
        LoopbackPorts.RetryOnceAsync(() => StartOnceAsync(count, script, responseTimeout, backend, orleans));

    private static async Task<Replicas> StartOnceAsync(int count, FakeModelResponse[] script, TimeSpan? responseTimeout, ReplicaBackend backend, Action<CodexOrleansOptions>? orleans)
    {
        var ports = LoopbackPorts.Pick(count * 2);
        var primary = new IPEndPoint(IPAddress.Loopback, ports[0]);
        var clusterId = "codex-" + Guid.NewGuid().ToString("N");
        var redis = backend == ReplicaBackend.Redis ? await RedisServer.StartAsync() : null;
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
                            silo.UseLocalhostClustering(siloPort, gatewayPort, primary, RedisClusterSilo.ServiceId, clusterId);
                            silo.AddMemoryGrainStorage(CodexOrleansOptions.DefaultStorageName);
                        }
                        else
                        {
                            RedisClusterSilo.Configure(silo, redis.Endpoint, clusterId, siloPort, gatewayPort);
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
            await new Replicas(hosts, redis).DisposeAsync();
            throw;
        }

        return new Replicas(hosts, redis);
    }

    /// <summary>Stops the replicas, the primary silo last (the others leave the cluster it keeps), then the Redis server.</summary>
    public async ValueTask DisposeAsync()
    {
        for (var i = _hosts.Count - 1; i >= 0; i--)
        {
            await _hosts[i].DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }
}
