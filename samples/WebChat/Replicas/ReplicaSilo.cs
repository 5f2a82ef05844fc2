using System.Net;
using CodexRuntime;
using CodexRuntime.Orleans;
using Orleans.Configuration;
using Orleans.Hosting;

namespace WebChat.Replicas;

/// <summary>
/// Makes this WebChat process one replica of the cluster (<see cref="ReplicaSettings"/>): it co-hosts an Orleans silo,
/// and its Codex endpoints reach every session of the cluster through the session's grain. Its codex, CODEX_HOME,
/// workspace and fake model stay its own (<see cref="ChatBackend"/>), exactly as in the single process.
/// </summary>
public static class ReplicaSilo
{
    /// <summary>Adds the silo when the configuration names this process a replica; otherwise does nothing.</summary>
    /// <param name="builder">The app's builder.</param>
    /// <param name="codex">What <c>AddCodexRuntime(...).AddWeb(...)</c> returned.</param>
    /// <returns>The replica's settings, or null for the single process.</returns>
    public static ReplicaSettings? AddReplicaSilo(this WebApplicationBuilder builder, ICodexRuntimeBuilder codex)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(codex);
        if (ReplicaSettings.From(builder.Configuration) is not { } replica)
        {
            return null;
        }

        builder.UseOrleans(silo =>
        {
            if (replica.Redis is { } redis)
            {
                // Membership in Redis: any replica may die, the others keep the cluster.
                silo.UseRedisClustering(redis);
                silo.Configure<ClusterOptions>(cluster => (cluster.ClusterId, cluster.ServiceId) = (replica.ClusterId, "codex-webchat"));
                silo.ConfigureEndpoints(IPAddress.Loopback, replica.SiloPort, replica.GatewayPort);
                silo.AddRedisGrainStorage(CodexOrleansOptions.DefaultStorageName, storage => storage.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(redis));
                // A killed replica is declared dead in a few seconds, not Orleans' default half minute, so you can
                // watch its sessions move: 2 missed probes of 2 s, and both other replicas' votes.
                silo.Configure<ClusterMembershipOptions>(membership =>
                {
                    membership.ProbeTimeout = TimeSpan.FromSeconds(2);
                    membership.NumMissedProbesLimit = 2;
                    membership.NumVotesForDeathDeclaration = 2;
                    membership.TableRefreshTimeout = TimeSpan.FromSeconds(2);
                });
            }
            else
            {
                // Development membership: every silo asks replica 1's, so replica 1 must stay up.
                silo.UseLocalhostClustering(replica.SiloPort, replica.GatewayPort, new IPEndPoint(IPAddress.Loopback, replica.PrimarySiloPort), "codex-webchat", replica.ClusterId);
                silo.AddMemoryGrainStorage(CodexOrleansOptions.DefaultStorageName);
            }
        });
        codex.UseOrleans();

        // Requests through the proxy name it (Host and Origin): the proxy's port is this page's too.
        builder.Services.Configure<LocalOnlyOptions>(options => options.ProxyPort = replica.ProxyPort);
        builder.Services.AddHostedService<ParentWatch>();
        builder.Services.AddHostedService<DeathWatch>();
        return replica;
    }
}
