namespace CodexRuntime;

/// <summary>Where a session works and how it runs: its working directory, its <see cref="RunProfile"/>, and thread-level instructions.</summary>
public sealed class SessionConfig
{
    /// <summary>Creates a configuration.</summary>
    /// <param name="cwd">The working directory (made absolute against the current directory); it must exist.</param>
    /// <param name="profile">How turns run; the client's default profile when null.</param>
    public SessionConfig(string cwd, RunProfile? profile = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cwd);
        Cwd = Path.GetFullPath(cwd);
        Profile = profile;
    }

    /// <summary>The working directory, absolute. It is also the sandbox's scope.</summary>
    public string Cwd { get; }

    /// <summary>How turns run; null means the client's <see cref="ClientConfig.DefaultProfile"/>.</summary>
    public RunProfile? Profile { get; set; }

    /// <summary>Extra instructions for the model for the whole thread (codex's <c>developerInstructions</c>).</summary>
    public string? DeveloperInstructions { get; set; }
}
