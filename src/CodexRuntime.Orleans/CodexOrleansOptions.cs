namespace CodexRuntime.Orleans;

/// <summary>
/// How sessions live in the cluster: where their records are kept (so a session outlives its silo) and how long a
/// stopping silo lets running turns finish.
/// </summary>
public sealed class CodexOrleansOptions
{
    /// <summary>The grain storage name <see cref="StorageName"/> defaults to.</summary>
    public const string DefaultStorageName = "codex-sessions";

    /// <summary>
    /// The Orleans grain storage that keeps each session's record (tenant, artifact, codex thread, event id floor, a
    /// running turn, the thread's rollout after each turn), so another silo can resume the session when its silo stops
    /// or dies. Register it on the silo: <c>silo.AddRedisGrainStorage("codex-sessions", ...)</c> in production;
    /// <c>silo.AddMemoryGrainStorage("codex-sessions")</c> for development (memory storage is lost with the silo that
    /// holds it, so a killed silo may take sessions with it).
    /// </summary>
    public string StorageName { get; set; } = DefaultStorageName;

    /// <summary>
    /// How long a stopping silo (a rolling deploy, <c>SIGTERM</c>) lets a running turn finish before it interrupts it;
    /// then the session's record is saved and the session moves to the next silo that is asked for it. The host's
    /// shutdown timeout is raised to cover it. Default 30 seconds.
    /// </summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
