using System.Diagnostics;
using System.Text.Json;
using CodexRuntime.Rpc;
using CodexRuntime.ServerRequests;
using CodexRuntime.Testing;
using CodexRuntime.Transport;

namespace CodexRuntime.IntegrationTests.Support;

/// <summary>
/// One real codex app-server for one test: its own FakeModelServer, CODEX_HOME and workspace, connected through
/// <see cref="CodexConnection"/> with a <see cref="RecordingMessageObserver"/>. Disposing reaps everything.
/// </summary>
internal sealed class RealCodex : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private RealCodex(string version, FakeModelServer model, TemporaryCodexHome home, DirectoryInfo workspace, RecordingMessageObserver observer, CodexConnection connection)
    {
        Version = version;
        Model = model;
        Home = home;
        Workspace = workspace;
        Observer = observer;
        Connection = connection;
    }

    public string Version { get; }

    public FakeModelServer Model { get; }

    public TemporaryCodexHome Home { get; }

    public DirectoryInfo Workspace { get; }

    public RecordingMessageObserver Observer { get; }

    public CodexConnection Connection { get; }

    public CodexProcessTransport Process => (CodexProcessTransport)Connection.Transport;

    public static Task<RealCodex> StartAsync(string version, string approvalPolicy = "never", params FakeModelResponse[] script) =>
        StartAsync(version, approvalPolicy, null, script);

    /// <summary>With <paramref name="serverRequests"/>, server requests go through a <see cref="CodexServerRequestDispatcher"/> (the recorder still sees every notification).</summary>
    public static async Task<RealCodex> StartAsync(string version, string approvalPolicy, CodexServerRequestOptions? serverRequests, params FakeModelResponse[] script)
    {
        var binary = await CodexInstallations.GetBinaryAsync(version);
        var model = FakeModelServer.Start().Enqueue(script);
        var home = TemporaryCodexHome.Create(model, approvalPolicy);
        var workspace = Directory.CreateTempSubdirectory("codex-it-");
        var observer = new RecordingMessageObserver();
        try
        {
            var connection = await CodexConnection.StartAsync(
                home.ApplyTo(new CodexProcessOptions { ExecutablePath = binary, WorkingDirectory = workspace.FullName }),
                observer: serverRequests is null ? observer : new CodexServerRequestDispatcher(serverRequests, observer)).WaitAsync(Deadline);
            return new RealCodex(version, model, home, workspace, observer, connection);
        }
        catch
        {
            await model.DisposeAsync();
            home.Dispose();
            workspace.Delete(recursive: true);
            throw;
        }
    }

    public async Task<string> StartThreadAsync()
    {
        var result = await Connection.RequestAsync("thread/start", Json($$"""{"cwd":{{JsonSerializer.Serialize(Workspace.FullName, TestJson.Default.String)}}}"""));
        return result.GetProperty("thread").GetProperty("id").GetString()!;
    }

    /// <summary>Starts a turn and waits for its turn/completed notification.</summary>
    public async Task<(string TurnId, CodexInboundMessage Completed)> RunTurnAsync(string threadId, string prompt)
    {
        var started = await Connection.RequestAsync("turn/start", Json($$"""{"threadId":"{{threadId}}","input":[{"type":"text","text":{{JsonSerializer.Serialize(prompt, TestJson.Default.String)}}}]}"""));
        var turnId = started.GetProperty("turn").GetProperty("id").GetString()!;
        var completed = await Observer.WaitForAsync(
            m => m.Method == "turn/completed" && m.Params.GetProperty("turn").GetProperty("id").GetString() == turnId,
            Deadline);
        return (turnId, completed);
    }

    public static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        await Model.DisposeAsync();
        Home.Dispose();
        try
        {
            Workspace.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS temp cleaner.
        }
    }

    /// <summary>Stops the process (SIGSTOP) so it cannot answer, without ending it.</summary>
    public void Freeze()
    {
        using var kill = System.Diagnostics.Process.Start(new ProcessStartInfo("kill", ["-STOP", Process.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)]))!;
        kill.WaitForExit();
    }
}
