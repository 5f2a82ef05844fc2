namespace CodexRuntime;

/// <summary>
/// How a <see cref="CodexClient"/> starts and talks to its codex process, and the run profile its sessions use unless
/// they bring their own. Each setting has one home: how codex is started, talked to and supervised is in
/// <see cref="Runtime"/> (for example <c>Runtime.Process.ExecutablePath</c>, <c>Runtime.Connection.RequestTimeout</c>,
/// <c>Runtime.RestartPolicy</c>); what only a client has (interceptors, the default profile) is here. Bindable from
/// configuration (section <c>CodexRuntime</c> with <c>AddCodexRuntime</c>), where the seed's short keys
/// (<c>CliPath</c>, <c>RequestTimeout</c>, ...) still bind onto their homes.
/// </summary>
public sealed class ClientConfig
{
    /// <summary>Everything the runtime under the client uses (process, connection, server requests, supervision, state, sinks).</summary>
    public CodexRuntimeOptions Runtime { get; set; } = new();

    /// <summary>
    /// Interceptors called in every phase of every run and session of this client (global); run-scoped ones go on
    /// <see cref="RunProfile.Interceptors"/>. See <see cref="ICodexRunInterceptor"/>.
    /// </summary>
    public IList<ICodexRunInterceptor> Interceptors { get; } = new List<ICodexRunInterceptor>();

    /// <summary>How long one interceptor call may take before it is recorded as timed out and the run goes on. 30 s by default.</summary>
    public TimeSpan InterceptorTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The profile of runs and sessions that do not bring their own (the safe defaults unless changed).</summary>
    public RunProfile DefaultProfile { get; set; } = new();

    /// <summary>Checks the configuration; each problem names the setting and the fix.</summary>
    /// <returns>The problems; empty when the configuration is usable.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Runtime is null)
        {
            problems.Add("Runtime is null; leave it at its default or set a CodexRuntimeOptions.");
            return problems;
        }

        problems.AddRange(Runtime.Validate().Select(problem => "Runtime." + problem));
        if (Runtime.State is { Enabled: false })
        {
            problems.Add("Runtime.State.Enabled is false; sessions read turn results from the state projection, so leave it on.");
        }

        if (Runtime.Process?.ExecutablePath is { } path && !File.Exists(path))
        {
            problems.Add($"Runtime.Process.ExecutablePath (configuration key CliPath) '{path}' does not exist; point it at the codex executable (build/install-codex.sh prints it) or leave it empty to search PATH.");
        }

        if (InterceptorTimeout <= TimeSpan.Zero)
        {
            problems.Add($"InterceptorTimeout is {InterceptorTimeout}; use a positive time (30 s by default) so a stuck interceptor cannot hold a run.");
        }

        if (DefaultProfile is null)
        {
            problems.Add("DefaultProfile is null; leave it at its default (the safe defaults) or set a RunProfile.");
        }
        else
        {
            problems.AddRange(DefaultProfile.Validate().Select(problem => "DefaultProfile." + problem.Replace("RunProfile.", string.Empty, StringComparison.Ordinal)));
        }

        return problems;
    }
}
