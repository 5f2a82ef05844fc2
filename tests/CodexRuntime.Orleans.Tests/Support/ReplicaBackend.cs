namespace CodexRuntime.Orleans.Tests.Support;

/// <summary>Where a test cluster keeps its membership and its session records.</summary>
public enum ReplicaBackend
{
    /// <summary>Localhost clustering (the first silo is the primary) and memory grain storage: lost with the silo that holds it.</summary>
    InMemory,

    /// <summary>Redis clustering and Redis grain storage on a real redis-server: what production runs.</summary>
    Redis,
}
