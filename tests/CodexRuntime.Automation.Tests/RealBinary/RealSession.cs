using CodexRuntime.Events;
using CodexRuntime.Testing;
using CodexRuntime.Transport;

namespace CodexRuntime.Automation.Tests.RealBinary;

/// <summary>
/// A session on the real codex of one version, offline: a <see cref="FakeModelServer"/> with the test's script, an
/// isolated CODEX_HOME, a workspace, and an audit subscription of every envelope (both directions). Disposing reaps it all.
/// </summary>
internal sealed class RealSession : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private RealSession(FakeModelServer model, TemporaryCodexHome home, DirectoryInfo workspace, CodexClient client, CodexEnvelopeSubscription audit)
    {
        Model = model;
        Home = home;
        Workspace = workspace;
        Client = client;
        Audit = audit;
    }

    public FakeModelServer Model { get; }

    public TemporaryCodexHome Home { get; }

    public DirectoryInfo Workspace { get; }

    public CodexClient Client { get; }

    public CodexEnvelopeSubscription Audit { get; }

    public CodexSession Session { get; private set; } = null!;

    public static async Task<RealSession> StartAsync(string version, params FakeModelResponse[] script)
    {
        var binary = await CodexVersions.BinaryAsync(version);
        var model = FakeModelServer.Start().Enqueue(script);
        var home = TemporaryCodexHome.Create(model);
        var workspace = Directory.CreateTempSubdirectory("codex-automation-");
        var config = home.ApplyTo(new ClientConfig { Runtime = { Process = new CodexProcessOptions { ExecutablePath = binary, WorkingDirectory = workspace.FullName } } });
        config.DefaultProfile.Timeout = Deadline;
        var client = new CodexClient(config);
        var audit = client.Runtime.Subscribe(new CodexSubscriptionOptions { Capacity = 100_000 });
        var real = new RealSession(model, home, workspace, client, audit);
        real.Session = await client.StartSessionAsync(new SessionConfig(workspace.FullName)).WaitAsync(Deadline);
        return real;
    }

    /// <summary>Reads the audit stream (its one reader) until an envelope matches, and returns it.</summary>
    public async Task<CodexEnvelope> WaitForEnvelopeAsync(Func<CodexEnvelope, bool> match, List<CodexEnvelope> seen)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        await foreach (var envelope in Audit.Reader.ReadAllAsync(deadline.Token))
        {
            seen.Add(envelope);
            if (match(envelope))
            {
                return envelope;
            }
        }

        throw new InvalidOperationException("The envelope stream ended.");
    }

    /// <summary>What the audit stream holds now, without waiting (same reader as <see cref="WaitForEnvelopeAsync"/>, called after it).</summary>
    public void Drain(List<CodexEnvelope> seen)
    {
        while (Audit.Reader.TryRead(out var envelope))
        {
            seen.Add(envelope);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Audit.Dispose();
        await Client.DisposeAsync();
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
