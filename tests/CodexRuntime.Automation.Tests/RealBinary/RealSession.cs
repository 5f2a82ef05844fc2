using CodexRuntime.Events;
using CodexRuntime.Testing;

namespace CodexRuntime.Automation.Tests.RealBinary;

/// <summary>
/// A session on the real codex of one version, offline: a <see cref="CodexSandbox"/> (a <see cref="FakeModelServer"/>
/// with the test's script, an isolated CODEX_HOME, a workspace) and a client with an audit subscription of every
/// envelope (both directions). Disposing reaps it all.
/// </summary>
internal sealed class RealSession : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = CodexSandbox.Deadline;

    private readonly CodexSandbox _sandbox;

    private RealSession(CodexSandbox sandbox, CodexClient client, CodexEnvelopeSubscription audit)
    {
        _sandbox = sandbox;
        Client = client;
        Audit = audit;
    }

    public FakeModelServer Model => _sandbox.Model;

    public TemporaryCodexHome Home => _sandbox.Home;

    public DirectoryInfo Workspace => _sandbox.Workspace;

    public CodexClient Client { get; }

    public CodexEnvelopeSubscription Audit { get; }

    public CodexSession Session { get; private set; } = null!;

    public static async Task<RealSession> StartAsync(string version, params FakeModelResponse[] script)
    {
        var sandbox = await CodexSandbox.CreateAsync(version, "never", script);
        var (client, audit) = sandbox.NewClient(config => config.DefaultProfile.Timeout = Deadline);
        var real = new RealSession(sandbox, client, audit);
        real.Session = await client.StartSessionAsync(new SessionConfig(sandbox.Workspace.FullName)).WaitAsync(Deadline);
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
        await _sandbox.DisposeAsync();
    }
}
