using Orleans.Runtime;

namespace WebChat.Replicas;

/// <summary>
/// Prints a line when this replica's silo learns that another silo was declared dead: after a kill, the moment from
/// which the killed replica's sessions can be resumed on the replicas left (until then, their requests are answered
/// 503 with Retry-After). You watch it in the console; the sample's test waits for it.
/// </summary>
internal sealed class DeathWatch(IClusterMembershipService membership, ILocalSiloDetails silo) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reported = new HashSet<SiloAddress>();
        try
        {
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(stoppingToken))
            {
                foreach (var dead in snapshot.Members.Where(m => m.Value.Status == SiloStatus.Dead && !m.Key.Equals(silo.SiloAddress)).Select(m => m.Key))
                {
                    if (reported.Add(dead))
                    {
                        Console.WriteLine($"cluster: the silo at {dead.Endpoint} was declared dead; its sessions resume on the replicas left.");
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The replica stops.
        }
    }
}
