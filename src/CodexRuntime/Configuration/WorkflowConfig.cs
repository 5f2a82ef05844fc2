
namespace CodexRuntime;

/// <summary>
/// A working directory plus how to run codex there (layer 2): the client settings (<see cref="Client"/>, where the
/// process and connection settings have their one home) and the run profile.
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
}
