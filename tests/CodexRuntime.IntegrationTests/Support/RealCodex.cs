using System.Text.Json;
using CodexRuntime.Rpc;
using CodexRuntime.Testing;
using CodexRuntime.Transport;

namespace CodexRuntime.IntegrationTests.Support;

/// <summary>
/// One real codex app-server for one test: its own FakeModelServer, CODEX_HOME and workspace, connected through
/// <see cref="CodexConnection"/> with a <see cref="RecordingMessageObserver"/>. Disposing reaps everything.
/// </summary>
internal sealed class RealCodex : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = CodexSandbox.Deadline;

    private RealCodex(CodexSandbox sandbox, RecordingMessageObserver observer, CodexConnection connection)
    {
        Sandbox = sandbox;
        Observer = observer;
        Connection = connection;
    }

    public CodexSandbox Sandbox { get; }

    public string Version => Sandbox.Version;

    public FakeModelServer Model => Sandbox.Model;

    public TemporaryCodexHome Home => Sandbox.Home;

    public DirectoryInfo Workspace => Sandbox.Workspace;

    public RecordingMessageObserver Observer { get; }

    public CodexConnection Connection { get; }

    public CodexProcessTransport Process => (CodexProcessTransport)Connection.Transport;

    public static Task<RealCodex> StartAsync(string version, string approvalPolicy = "never", params FakeModelResponse[] script) =>
        StartAsync(version, approvalPolicy, options: null, script);

    public static async Task<RealCodex> StartAsync(string version, string approvalPolicy, CodexConnectionOptions? options, params FakeModelResponse[] script)
    {
        var sandbox = await CodexSandbox.CreateAsync(version, approvalPolicy, script);
        var observer = new RecordingMessageObserver();
        try
        {
            var connection = await CodexConnection.StartAsync(sandbox.ProcessOptions(), options, observer: observer).WaitAsync(Deadline);
            return new RealCodex(sandbox, observer, connection);
        }
        catch
        {
            await sandbox.DisposeAsync();
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
        await Sandbox.DisposeAsync();
    }

    /// <summary>Stops the process (SIGSTOP) so it cannot answer, without ending it.</summary>
    public void Freeze() => CodexSandbox.Freeze(Process.ProcessId);
}
