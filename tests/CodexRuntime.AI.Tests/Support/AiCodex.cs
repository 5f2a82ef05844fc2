using CodexRuntime.Events;
using CodexRuntime.Testing;
using CodexRuntime.Tests.Shared;

namespace CodexRuntime.AI.Tests.Support;

/// <summary>
/// A <see cref="CodexChatClient"/> on the real binary of one version (a <see cref="CodexSandbox"/>: FakeModelServer
/// script, isolated CODEX_HOME, workspace), with an audit subscription of every envelope of its codex process.
/// </summary>
internal sealed class AiCodex : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = CodexSandbox.Deadline;

    private readonly bool _ownsSandbox;

    private AiCodex(CodexSandbox sandbox, CodexClient client, CodexEnvelopeSubscription audit, CodexChatClient chat, bool ownsSandbox)
    {
        Sandbox = sandbox;
        Client = client;
        Audit = audit;
        Chat = chat;
        _ownsSandbox = ownsSandbox;
    }

    public CodexSandbox Sandbox { get; }

    public CodexClient Client { get; }

    public CodexEnvelopeSubscription Audit { get; }

    public CodexChatClient Chat { get; }

    public FakeModelServer Model => Sandbox.Model;

    public string Workspace => Sandbox.Workspace.FullName;

    public static async Task<AiCodex> CreateAsync(string version, string approvalPolicy, RunProfile? profile, Action<ClientConfig>? configure, params FakeModelResponse[] script) =>
        Create(await CodexSandbox.CreateAsync(version, approvalPolicy, script), profile, configure, ownsSandbox: true);

    /// <summary>A new client (a new codex process) on an existing sandbox: same CODEX_HOME, so threads carry over.</summary>
    public static AiCodex Create(CodexSandbox sandbox, RunProfile? profile = null, Action<ClientConfig>? configure = null, bool ownsSandbox = false)
    {
        var (client, audit) = sandbox.NewClient(configure);
        return new AiCodex(sandbox, client, audit, new CodexChatClient(client, new SessionConfig(sandbox.Workspace.FullName, profile)), ownsSandbox);
    }

    public async ValueTask DisposeAsync()
    {
        await Chat.DisposeAsync();
        Audit.Dispose();
        await Client.DisposeAsync();
        if (_ownsSandbox)
        {
            await Sandbox.DisposeAsync();
        }
    }
}
