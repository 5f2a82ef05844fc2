using CodexRuntime;
using CodexRuntime.Testing;

namespace WebChat;

/// <summary>
/// Where the chat's codex gets its model and works: offline (the default), a <see cref="FakeModelServer"/> with the
/// chat script, its own CODEX_HOME and a fresh workspace; with <c>WebChat:Real</c> (<c>--real</c>), your codex login
/// and the current folder. Configuration: <c>WebChat:StreamPaceMs</c> paces the streamed answer (80 ms by default).
/// </summary>
public sealed class ChatBackend : IAsyncDisposable
{
    /// <summary>The file the scripted command creates once you approve it.</summary>
    public const string ApprovedFile = "hello-from-codex.txt";

    private readonly TemporaryCodexHome? _home;
    private readonly bool _ownsWorkspace;

    /// <summary>Sets the backend up from configuration.</summary>
    /// <param name="configuration">The app's configuration.</param>
    public ChatBackend(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration.GetValue<bool>("WebChat:Real"))
        {
            Workspace = Environment.CurrentDirectory;
            Description = "the real model, with your codex login (~/.codex or CODEX_HOME)";
            return;
        }

        var pace = TimeSpan.FromMilliseconds(configuration.GetValue("WebChat:StreamPaceMs", 80));
        Model = FakeModelServer.Start().Otherwise(request => ChatScript.Answer(request, pace));
        _home = TemporaryCodexHome.Create(Model, approvalPolicy: "on-request");
        Workspace = Directory.CreateTempSubdirectory("codex-webchat-").FullName;
        _ownsWorkspace = true;
        Description = $"FakeModelServer at {Model.BaseUrl} (offline: nothing leaves this machine)";
    }

    /// <summary>The fake model; null with the real one.</summary>
    public FakeModelServer? Model { get; }

    /// <summary>The folder codex works in.</summary>
    public string Workspace { get; }

    /// <summary>Which model answers, for the console.</summary>
    public string Description { get; }

    /// <summary>Points codex at the fake model (CODEX_HOME, empty HOME); nothing with the real one.</summary>
    /// <param name="config">The client's configuration.</param>
    public void ApplyTo(ClientConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        _home?.ApplyTo(config);
        config.Runtime.Process.WorkingDirectory ??= Workspace;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Model is not null)
        {
            await Model.DisposeAsync().ConfigureAwait(false);
        }

        _home?.Dispose();
        if (_ownsWorkspace)
        {
            try
            {
                Directory.Delete(Workspace, recursive: true);
            }
            catch (IOException)
            {
                // Left for the OS temp cleaner.
            }
        }
    }
}
