using System.Diagnostics;
using System.Globalization;
using CodexRuntime.Testing;
using CodexRuntime.Transport;

namespace CodexRuntime.IntegrationTests.Support;

/// <summary>
/// What one real-binary test needs around codex: the installed binary of a version, a FakeModelServer with the test's
/// script, an isolated CODEX_HOME pointing at it, and a workspace folder. Disposing removes all of it.
/// </summary>
internal sealed class CodexSandbox : IAsyncDisposable
{
    private CodexSandbox(string version, string binary, FakeModelServer model, TemporaryCodexHome home, DirectoryInfo workspace)
    {
        Version = version;
        Binary = binary;
        Model = model;
        Home = home;
        Workspace = workspace;
    }

    public string Version { get; }

    public string Binary { get; }

    public FakeModelServer Model { get; }

    public TemporaryCodexHome Home { get; }

    public DirectoryInfo Workspace { get; }

    public static async Task<CodexSandbox> CreateAsync(string version, string approvalPolicy, FakeModelResponse[] script)
    {
        var binary = await CodexInstallations.GetBinaryAsync(version);
        var model = FakeModelServer.Start().Enqueue(script);
        return new CodexSandbox(version, binary, model, TemporaryCodexHome.Create(model, approvalPolicy, codexVersion: version), Directory.CreateTempSubdirectory("codex-it-"));
    }

    /// <summary>Process options that start the binary in the workspace with the isolated home.</summary>
    public CodexProcessOptions ProcessOptions() => Home.ApplyTo(new CodexProcessOptions { ExecutablePath = Binary, WorkingDirectory = Workspace.FullName });

    /// <summary>Stops a process (SIGSTOP) so it cannot answer, without ending it.</summary>
    public static void Freeze(int processId)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-STOP", processId.ToString(CultureInfo.InvariantCulture)]))!;
        kill.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
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
}
