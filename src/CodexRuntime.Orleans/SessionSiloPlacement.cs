using System.Security.Cryptography;
using System.Text;
using Orleans;
using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace CodexRuntime.Orleans;

/// <summary>
/// Places a session's grain on the silo named by its id: a session id begins with a token of the silo that created it
/// (<see cref="TokenOf"/>), where its codex thread and its adapter session are. Whatever made Orleans activate the
/// grain again (its directory entry lost when another silo left), the activation comes back to that silo and finds the
/// session there. When that silo is gone, the grain goes to the silo the session's id ranks first among the silos in
/// the cluster (rendezvous hashing), so every replica sends it to the same one, which resumes it from its record.
/// </summary>
[GenerateSerializer, Immutable, SuppressReferenceTracking, Alias("CodexRuntime.Orleans.SessionSiloPlacement")]
internal sealed class SessionSiloPlacement : PlacementStrategy
{
    internal static readonly SessionSiloPlacement Instance = new();

    /// <summary>Hex characters of a silo token at the start of a session id.</summary>
    public const int TokenLength = 16;

    /// <summary>A silo's token: a hash of its address (IP, port and start generation), so a restarted silo has another.</summary>
    public static string TokenOf(SiloAddress silo) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(silo.ToParsableString())))[..TokenLength];
}

/// <summary><c>[SessionSiloPlacement]</c> on a grain class.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
internal sealed class SessionSiloPlacementAttribute() : PlacementAttribute(SessionSiloPlacement.Instance);

/// <summary>
/// Finds the silo whose token begins the grain's key among the silos that host the grain; without it, the silo the key
/// ranks first (the same answer on every replica while they see the same silos, and only the moved sessions' answers
/// change when a silo leaves).
/// </summary>
internal sealed class SessionSiloPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var key = target.GrainIdentity.Key.ToString() ?? "";
        var silos = context.GetCompatibleSilos(target);
        var owner = key.Length > SessionSiloPlacement.TokenLength
            ? Array.Find(silos, silo => key.StartsWith(SessionSiloPlacement.TokenOf(silo), StringComparison.Ordinal))
            : null;
        return Task.FromResult(owner ?? silos.MaxBy(silo => Rank(key, silo))!);
    }

    private static ulong Rank(string key, SiloAddress silo) =>
        BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes(key + "/" + silo.ToParsableString())));
}
