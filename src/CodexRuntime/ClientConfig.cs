using CodexRuntime.Events;
using CodexRuntime.Rpc;
using CodexRuntime.ServerRequests;
using CodexRuntime.Sessions;

namespace CodexRuntime;

/// <summary>
/// How a <see cref="CodexClient"/> starts and talks to its codex process, and the run profile its sessions use unless
/// they bring their own. The process-level settings are shortcuts into <see cref="Runtime"/> (one source of truth);
/// anything else the runtime offers is set there. Bindable from configuration (section <c>CodexRuntime</c> with
/// <c>AddCodexRuntime</c>).
/// </summary>
public sealed class ClientConfig
{
    /// <summary>Everything the runtime under the client uses (process, connection, server requests, supervision, state, sinks).</summary>
    public CodexRuntimeOptions Runtime { get; set; } = new();

    /// <summary>The codex executable; found on PATH / in the npm install when null (see <c>CodexBinaryLocator</c>).</summary>
    public string? CliPath
    {
        get => Runtime.Process.ExecutablePath;
        set => Runtime.Process.ExecutablePath = value;
    }

    /// <summary>Extra arguments after <c>app-server</c>, e.g. <c>-c key=value</c> overrides.</summary>
    public IList<string> ExtraArguments => Runtime.Process.ExtraArguments;

    /// <summary>Environment variables set (or, with a null value, removed) for the codex process.</summary>
    public IDictionary<string, string?> Environment => Runtime.Process.Environment;

    /// <summary>The codex process's working directory (not the sessions' cwd); the current directory when null.</summary>
    public string? ProcessWorkingDirectory
    {
        get => Runtime.Process.WorkingDirectory;
        set => Runtime.Process.WorkingDirectory = value;
    }

    /// <summary>CODEX_HOME for the process (config, login, sessions); codex's default (~/.codex) when null.</summary>
    public string? CodexHome
    {
        get => Runtime.Process.CodexHome;
        set => Runtime.Process.CodexHome = value;
    }

    /// <summary>Refuse codex older than the supported minimum (0.104.0), with an error naming both versions. On by default.</summary>
    public bool CompatibilityGuard
    {
        get => Runtime.Connection.CompatibilityGuard;
        set => Runtime.Connection.CompatibilityGuard = value;
    }

    /// <summary>Initialize capability: opt in to experimental methods and fields.</summary>
    public bool ExperimentalApi
    {
        get => Runtime.Connection.ExperimentalApi;
        set => Runtime.Connection.ExperimentalApi = value;
    }

    /// <summary>Initialize capability: notification methods codex should not send.</summary>
    public IList<string> OptOutNotificationMethods => Runtime.Connection.OptOutNotificationMethods;

    /// <summary>Who the client is, sent in <c>initialize</c>.</summary>
    public CodexClientInfo ClientInfo
    {
        get => Runtime.Connection.ClientInfo;
        set => Runtime.Connection.ClientInfo = value;
    }

    /// <summary>Deadline of one request (not of a turn: see <see cref="RunProfile.Timeout"/>). 60 s by default.</summary>
    public TimeSpan RequestTimeout
    {
        get => Runtime.Connection.RequestTimeout;
        set => Runtime.Connection.RequestTimeout = value;
    }

    /// <summary>What happens when codex crashes; open sessions are resumed after a restart.</summary>
    public CodexRestartPolicy RestartPolicy
    {
        get => Runtime.RestartPolicy;
        set => Runtime.RestartPolicy = value;
    }

    /// <summary>Sinks that receive every envelope.</summary>
    public IList<IEventSink> EventSinks => Runtime.EventSinks;

    /// <summary>How server requests nothing answers are answered (approvals of sessions are answered by their profile first).</summary>
    public CodexServerRequestPolicy ServerRequestPolicy
    {
        get => Runtime.ServerRequests.UnhandledPolicy;
        set => Runtime.ServerRequests.UnhandledPolicy = value;
    }

    /// <summary>
    /// Interceptors called in every phase of every run and session of this client (global); run-scoped ones go on
    /// <see cref="RunProfile.Interceptors"/>. See <see cref="Interception.ICodexRunInterceptor"/>.
    /// </summary>
    public IList<Interception.ICodexRunInterceptor> Interceptors { get; } = new List<Interception.ICodexRunInterceptor>();

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

        if (CliPath is { } path && !File.Exists(path))
        {
            problems.Add($"CliPath '{path}' does not exist; point it at the codex executable (build/install-codex.sh prints it) or leave it empty to search PATH.");
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
