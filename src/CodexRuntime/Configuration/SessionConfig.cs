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

    /// <summary>
    /// Tools of the application that codex may call in this thread (codex's <c>dynamicTools</c>, sent with
    /// <c>thread/start</c>; codex keeps them with the thread, so a resumed thread has the tools it started with and this
    /// list is not sent again). Each call reaches the application as an <c>item/tool/call</c> server request: a turn
    /// takes it as a <see cref="ServerRequestEvent"/> when its profile names the method in
    /// <see cref="RunProfile.TurnServerRequests"/>, otherwise the runtime's handler of that kind answers it.
    /// </summary>
    /// <remarks>
    /// Experimental in codex: a thread with tools needs <c>ClientConfig.Runtime.Connection.ExperimentalApi = true</c>
    /// (<see cref="CodexExperimentalApiRequiredException"/> otherwise). Use <see cref="Protocol.FunctionDynamicToolSpec"/>
    /// for each tool: its name, description and JSON schema of the arguments.
    /// </remarks>
    public IList<Protocol.DynamicToolSpec> DynamicTools { get; } = [];
}
