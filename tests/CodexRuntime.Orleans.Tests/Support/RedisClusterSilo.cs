using System.Net;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;
using StackExchange.Redis;

namespace CodexRuntime.Orleans.Tests.Support;

/// <summary>
/// A test silo of a cluster whose membership and session records are on Redis (what production runs): loopback
/// endpoints, Redis clustering, the sessions' grain storage on Redis, and membership timings that declare a dead
/// silo dead within seconds. Shared by the in-process replicas and the replica process (linked into it).
/// </summary>
internal static class RedisClusterSilo
{
    /// <summary>The Orleans service id of every test cluster (each test has its own cluster id).</summary>
    public const string ServiceId = "codex-web";

    /// <summary>Configures <paramref name="silo"/> as a member of <paramref name="clusterId"/> on the Redis at <paramref name="redisEndpoint"/>.</summary>
    public static ISiloBuilder Configure(ISiloBuilder silo, string redisEndpoint, string clusterId, int siloPort, int gatewayPort)
    {
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = clusterId;
            o.ServiceId = ServiceId;
        });
        silo.ConfigureEndpoints(IPAddress.Loopback, siloPort, gatewayPort, listenOnAnyHostAddress: false);
        silo.UseRedisClustering(o => o.ConfigurationOptions = ConfigurationOptions.Parse(redisEndpoint));
        silo.AddRedisGrainStorage(CodexOrleansOptions.DefaultStorageName, o => o.ConfigurationOptions = ConfigurationOptions.Parse(redisEndpoint));
        // Orleans' defaults (10 s probe timeout, 3 missed probes, 60 s table refresh) take half a minute or more to
        // declare a killed silo dead, and until then calls that need it (its grains, its part of the grain directory)
        // fail or wait. Tests that kill a replica wait for that, so here a silo that misses 2 probes of 1 s is
        // suspected, and 2 votes (both survivors of a three-silo cluster) declare it dead: about a second. The probe
        // timeout still adapts to observed probe times (up to 4 s) and is extended while a silo sees itself degraded
        // (a loaded machine), and one slow observer alone cannot vote a live silo out.
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = TimeSpan.FromSeconds(1);
            o.NumMissedProbesLimit = 2;
            o.NumVotesForDeathDeclaration = 2;
            o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
            o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
        });
        return silo;
    }
}
