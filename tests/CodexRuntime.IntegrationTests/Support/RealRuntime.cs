using CodexRuntime.Protocol;
using CodexRuntime.State;
using CodexRuntime.Testing;

namespace CodexRuntime.IntegrationTests.Support;

/// <summary>
/// One real codex app-server behind a <see cref="CodexRuntimeHost"/> and an <see cref="AppServer"/>, with its own
/// FakeModelServer, CODEX_HOME and workspace. Disposing reaps everything.
/// </summary>
internal sealed class RealRuntime : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = CodexSandbox.Deadline;

    private RealRuntime(CodexSandbox sandbox, AppServer app)
    {
        Sandbox = sandbox;
        App = app;
    }

    public CodexSandbox Sandbox { get; }

    public FakeModelServer Model => Sandbox.Model;

    public DirectoryInfo Workspace => Sandbox.Workspace;

    public AppServer App { get; }

    public CodexRuntimeHost Runtime => App.Runtime;

    public int ProcessId => Runtime.State.Connection.ProcessId ?? throw new InvalidOperationException("No codex process.");

    /// <summary>Starts codex with <paramref name="approvalPolicy"/> and the read-only sandbox; <paramref name="configure"/> adjusts the options.</summary>
    public static async Task<RealRuntime> StartAsync(string version, string approvalPolicy, Action<CodexRuntimeOptions>? configure, params FakeModelResponse[] script)
    {
        var sandbox = await CodexSandbox.CreateAsync(version, approvalPolicy, script);
        try
        {
            var options = new CodexRuntimeOptions { Process = sandbox.ProcessOptions() };
            configure?.Invoke(options);
            return new RealRuntime(sandbox, await AppServer.StartAsync(options).WaitAsync(Deadline));
        }
        catch
        {
            await sandbox.DisposeAsync();
            throw;
        }
    }

    public static Task<RealRuntime> StartAsync(string version, params FakeModelResponse[] script) => StartAsync(version, "never", null, script);

    public async Task<string> StartThreadAsync()
    {
        var started = await App.ThreadStartAsync(new ThreadStartParams { Cwd = Workspace.FullName });
        return started.Thread.Id;
    }

    /// <summary>Starts a turn and returns its id (the turn keeps running).</summary>
    public async Task<string> StartTurnAsync(string threadId, string prompt)
    {
        var started = await App.TurnStartAsync(new TurnStartParams { ThreadId = threadId, Input = [new TextUserInput { Text = prompt }] });
        return started.Turn.Id;
    }

    /// <summary>Runs a turn to its end and returns the runtime's snapshot of it.</summary>
    public async Task<CodexTurnSnapshot> RunTurnAsync(string threadId, string prompt)
    {
        var turnId = await StartTurnAsync(threadId, prompt);
        return await Runtime.WaitForTurnAsync(threadId, turnId, Deadline);
    }

    /// <summary>Stops the process (SIGSTOP) so it cannot answer, without ending it.</summary>
    public void Freeze() => CodexSandbox.Freeze(ProcessId);

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
