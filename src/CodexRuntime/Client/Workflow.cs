using Microsoft.Extensions.Logging;

namespace CodexRuntime;

/// <summary>
/// Repeated runs in one working directory on one codex process (layer 2). Each <see cref="RunAsync"/> is a new thread
/// (no memory between runs); <see cref="StartSessionAsync"/> gives a session that keeps memory.
/// </summary>
/// <example>
/// <code>
/// await using var workflow = await Workflow.ConnectAsync(new WorkflowConfig("/repo"));
/// var summary = await workflow.RunAsync("Summarize README.md");
/// var risks = await workflow.RunAsync("List risky shell scripts");
/// </code>
/// </example>
public sealed class Workflow : IAsyncDisposable
{
    private Workflow(WorkflowConfig config, CodexClient client)
    {
        Config = config;
        Client = client;
    }

    /// <summary>The configuration.</summary>
    public WorkflowConfig Config { get; }

    /// <summary>The client (and process) under the workflow.</summary>
    public CodexClient Client { get; }

    /// <summary>Starts codex for <paramref name="config"/> and completes the handshake.</summary>
    /// <param name="config">Where and how to run.</param>
    /// <param name="loggerFactory">Logging; none when null.</param>
    /// <param name="cancellationToken">Abandons connecting.</param>
    /// <returns>The connected workflow.</returns>
    /// <exception cref="ArgumentException">The configuration or profile is invalid (each problem names its setting).</exception>
    /// <exception cref="DirectoryNotFoundException">The cwd does not exist.</exception>
    /// <exception cref="CodexPrivilegedEscalationException">The profile asks for a privileged sandbox without meeting the rule.</exception>
    /// <exception cref="CodexConnectException">codex could not be started or the handshake failed.</exception>
    public static async Task<Workflow> ConnectAsync(WorkflowConfig config, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        var client = new CodexClient(config.Client, loggerFactory);
        try
        {
            // The profile and cwd are checked before codex starts, like every run will check them.
            client.CheckNewSession(new SessionConfig(config.Cwd, config.Profile));
            await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new Workflow(config, client);
    }

    /// <summary>Runs one prompt in a new thread (archived afterwards).</summary>
    /// <param name="prompt">What to ask.</param>
    /// <param name="cancellationToken">Cancels the run (the turn is interrupted).</param>
    /// <returns>The result.</returns>
    public Task<PromptRunResult> RunAsync(CodexPrompt prompt, CancellationToken cancellationToken = default) =>
        Client.RunAsync(Config.Cwd, prompt, Config.Profile, cancellationToken);

    /// <summary>Starts a session in the workflow's cwd with its profile: asks in it share memory.</summary>
    /// <param name="cancellationToken">Abandons the call.</param>
    /// <returns>The session.</returns>
    public Task<CodexSession> StartSessionAsync(CancellationToken cancellationToken = default) =>
        Client.StartSessionAsync(new SessionConfig(Config.Cwd, Config.Profile), cancellationToken);

    /// <summary>Stops codex (sessions are let go, not archived).</summary>
    /// <returns>A task that completes when the process is gone.</returns>
    public ValueTask DisposeAsync() => Client.DisposeAsync();
}
