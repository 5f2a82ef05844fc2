using CodexRuntime.Sessions;

namespace CodexRuntime;

/// <summary>
/// A working directory plus how to run codex there (layer 2): the client settings, the run profile, and the common
/// connection switches as shortcuts.
/// </summary>
public sealed class WorkflowConfig
{
    /// <summary>Creates a configuration for <paramref name="cwd"/>.</summary>
    /// <param name="cwd">The working directory, made absolute against the current directory.</param>
    public WorkflowConfig(string cwd)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cwd);
        Cwd = Path.GetFullPath(cwd);
    }

    /// <summary>The working directory of every run, absolute.</summary>
    public string Cwd { get; }

    /// <summary>How the codex process starts and talks (one process for the whole workflow).</summary>
    public ClientConfig Client { get; set; } = new();

    /// <summary>How runs and sessions run; the safe defaults unless changed.</summary>
    public RunProfile Profile { get; set; } = new();

    /// <summary>Shortcut for <see cref="ClientConfig.CliPath"/>.</summary>
    public string? CliPath
    {
        get => Client.CliPath;
        set => Client.CliPath = value;
    }

    /// <summary>Shortcut for <see cref="ClientConfig.CompatibilityGuard"/>.</summary>
    public bool CompatibilityGuard
    {
        get => Client.CompatibilityGuard;
        set => Client.CompatibilityGuard = value;
    }

    /// <summary>Shortcut for <see cref="ClientConfig.ExperimentalApi"/> (an initialize capability).</summary>
    public bool ExperimentalApi
    {
        get => Client.ExperimentalApi;
        set => Client.ExperimentalApi = value;
    }

    /// <summary>Shortcut for <see cref="ClientConfig.OptOutNotificationMethods"/> (an initialize capability).</summary>
    public IList<string> OptOutNotificationMethods => Client.OptOutNotificationMethods;
}
