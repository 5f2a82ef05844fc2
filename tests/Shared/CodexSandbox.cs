using System.Diagnostics;
using System.Globalization;
using CodexRuntime.Events;
using CodexRuntime.Testing;
using CodexRuntime.Transport;

namespace CodexRuntime.Tests.Shared;

/// <summary>
/// What one real-binary test needs around codex: the installed binary of a version, a FakeModelServer with the test's
/// script, an isolated CODEX_HOME pointing at it (with the models cache the floor version needs to stay quiet), and a
/// workspace folder. Every real-codex support class of every test project builds on this one. Disposing removes all of it.
/// </summary>
internal sealed class CodexSandbox : IAsyncDisposable
{
    /// <summary>How long a real-binary test waits for any one thing (a start, a turn, a reply).</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

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

    /// <summary>A sandbox for <paramref name="version"/> whose model answers <paramref name="script"/> (more can be enqueued later).</summary>
    public static async Task<CodexSandbox> CreateAsync(string version, string approvalPolicy = "never", params FakeModelResponse[] script)
    {
        var binary = await CodexVersions.BinaryAsync(version);
        var model = FakeModelServer.Start().Enqueue(script);
        return new CodexSandbox(version, binary, model, TemporaryCodexHome.Create(model, approvalPolicy, codexVersion: version), Directory.CreateTempSubdirectory("codex-test-"));
    }

    /// <summary>Process options that start the binary in the workspace with the isolated home.</summary>
    public CodexProcessOptions ProcessOptions() => Home.ApplyTo(new CodexProcessOptions { ExecutablePath = Binary, WorkingDirectory = Workspace.FullName });

    /// <summary>A client configuration on <see cref="ProcessOptions"/>, with a 30 s request timeout (a hung codex fails the test well inside <see cref="Deadline"/>).</summary>
    public ClientConfig ClientConfig()
    {
        var config = new ClientConfig();
        config.Runtime.Process = ProcessOptions();
        config.Runtime.Connection.RequestTimeout = TimeSpan.FromSeconds(30);
        return config;
    }

    /// <summary>
    /// A new client (its own codex process, started on first use) on this sandbox, with an audit subscription of every
    /// envelope in both directions. The home is shared, so threads carry over from one client to the next.
    /// </summary>
    public (CodexClient Client, CodexEnvelopeSubscription Audit) NewClient(Action<ClientConfig>? configure = null)
    {
        var config = ClientConfig();
        configure?.Invoke(config);
        var client = new CodexClient(config);
        return (client, client.Runtime.Subscribe(new CodexSubscriptionOptions { Capacity = 100_000 }));
    }

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
