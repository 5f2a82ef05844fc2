// The offline half of the demo, kept apart so Program.cs shows only what an app writes: a fake model server on
// loopback (CodexRuntime.Testing), a CODEX_HOME that points codex at it, a scratch workspace with two files, and the
// model's script: run ls, then answer from what it printed.
using CodexRuntime;
using CodexRuntime.Testing;

/// <summary>Everything the offline demo needs; disposing it stops the model and deletes the scratch folders.</summary>
internal sealed class OfflineDemo : IAsyncDisposable
{
    private readonly FakeModelServer _model;
    private readonly TemporaryCodexHome _home;

    private OfflineDemo(FakeModelServer model, TemporaryCodexHome home, DirectoryInfo workspace)
    {
        _model = model;
        _home = home;
        Workspace = workspace;
    }

    /// <summary>The folder codex works in.</summary>
    public DirectoryInfo Workspace { get; }

    /// <summary>Where the fake model listens.</summary>
    public string ModelUrl => _model.BaseUrl;

    /// <summary>Starts the fake model, scripts it and points <paramref name="config"/> at it.</summary>
    public static OfflineDemo Start(ClientConfig config)
    {
        var model = FakeModelServer.Start();
        var home = TemporaryCodexHome.Create(model);
        var workspace = Directory.CreateTempSubdirectory("codex-demo-");
        File.WriteAllText(Path.Combine(workspace.FullName, "notes.txt"), "Remember to water the plants.\n");
        File.WriteAllText(Path.Combine(workspace.FullName, "todo.md"), "- try CodexRuntime\n");
        model.Enqueue(
            FakeModelResponse.ExecCommand("ls"),
            FakeModelResponse.FromRequest("answer with the listing", request =>
            {
                var files = (request.CommandOutputs.LastOrDefault() ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                var answer = $"I listed the working directory and saw: {string.Join(", ", files)}.";
                return FakeModelResponse.StreamedText(answer.Split(' ').Select((word, i) => i == 0 ? word : " " + word), TimeSpan.FromMilliseconds(30));
            }));
        home.ApplyTo(config);   // CODEX_HOME points at the fake model; HOME is an empty folder
        return new OfflineDemo(model, home, workspace);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _model.DisposeAsync();
        _home.Dispose();
        Workspace.Delete(recursive: true);
    }
}
