using CodexRuntime.Events;
using CodexRuntime.Testing;

namespace CodexRuntime.IntegrationTests.Support;

/// <summary>
/// A <see cref="CodexClient"/> on the real binary of one version, with a FakeModelServer script, an isolated
/// CODEX_HOME and a workspace (a <see cref="CodexSandbox"/>), and an audit subscription of every envelope.
/// </summary>
internal sealed class RealClient : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = CodexSandbox.Deadline;

    private readonly bool _ownsSandbox;

    private RealClient(CodexSandbox sandbox, CodexClient client, CodexEnvelopeSubscription audit, bool ownsSandbox)
    {
        _ownsSandbox = ownsSandbox;
        Sandbox = sandbox;
        Client = client;
        Audit = audit;
    }

    public CodexSandbox Sandbox { get; }

    public CodexClient Client { get; }

    /// <summary>Every envelope in both directions since the client was created.</summary>
    public CodexEnvelopeSubscription Audit { get; }

    public FakeModelServer Model => Sandbox.Model;

    public string Workspace => Sandbox.Workspace.FullName;

    public static async Task<RealClient> CreateAsync(string version, string approvalPolicy, Action<ClientConfig>? configure, params FakeModelResponse[] script)
    {
        var sandbox = await CodexSandbox.CreateAsync(version, approvalPolicy, script);
        return Create(sandbox, configure, ownsSandbox: true);
    }

    /// <summary>A new client (a new process) on an existing sandbox: same CODEX_HOME, so threads carry over. The sandbox stays when the client is disposed.</summary>
    public static RealClient Create(CodexSandbox sandbox, Action<ClientConfig>? configure = null, bool ownsSandbox = false)
    {
        var (client, audit) = sandbox.NewClient(configure);
        return new RealClient(sandbox, client, audit, ownsSandbox);
    }

    public SessionConfig Session(RunProfile? profile = null) => new(Workspace, profile);

    public IReadOnlyList<CodexEnvelope> Envelopes()
    {
        var list = new List<CodexEnvelope>();
        while (Audit.Reader.TryRead(out var envelope))
        {
            list.Add(envelope);
        }

        return list;
    }

    public async ValueTask DisposeAsync()
    {
        Audit.Dispose();
        await Client.DisposeAsync();
        if (_ownsSandbox)
        {
            await Sandbox.DisposeAsync();
        }
    }
}
