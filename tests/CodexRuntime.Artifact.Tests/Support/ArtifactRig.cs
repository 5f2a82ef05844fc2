using System.Text.Json.Nodes;
using CodexRuntime.Events;
using CodexRuntime.Testing;
using CodexRuntime.Tests.Shared;

namespace CodexRuntime.Artifact.Tests.Support;

/// <summary>
/// What an artifact test on the real binary needs: a <see cref="CodexSandbox"/> of one version (codex, a
/// FakeModelServer, an isolated CODEX_HOME with approval never and read-only, a workspace) and a store root. Clients
/// made here are new codex processes on the same home, so threads carry over from one to the next. Disposing removes
/// everything.
/// </summary>
internal sealed class ArtifactRig : IAsyncDisposable
{
    private readonly CodexSandbox _sandbox;
    private readonly TempFolder _store = new("artifact-store-");

    private ArtifactRig(CodexSandbox sandbox)
    {
        _sandbox = sandbox;
    }

    public FakeModelServer Model => _sandbox.Model;

    public string Workspace => _sandbox.Workspace.FullName;

    public string StoreRoot => _store.Path;

    public static async Task<ArtifactRig> CreateAsync(string version) => new(await CodexSandbox.CreateAsync(version));

    /// <summary>A new client (its own codex process, started on first use) with an audit subscription of every envelope.</summary>
    public (CodexClient Client, CodexEnvelopeSubscription Audit) NewClient() => _sandbox.NewClient();

    public FsArtifactStore NewStore() => new(StoreRoot);

    public ArtifactSessionManager NewManager(CodexClient client) =>
        new(client, NewStore(), new ArtifactOptions { WorkingDirectory = Workspace, TaskTimeout = TimeSpan.FromSeconds(60) });

    /// <summary>Every string in a model request body, joined: the prompt texts as the model saw them (unescaped).</summary>
    public static string TextOf(FakeModelRequest request)
    {
        var parts = new List<string>();
        Collect(JsonNode.Parse(request.Body), parts);
        return string.Join("\n", parts);
    }

    /// <summary>The outbound requests of one method, as JSON.</summary>
    public static List<JsonNode> Sent(CodexEnvelopeSubscription audit, string method)
    {
        var sent = new List<JsonNode>();
        while (audit.Reader.TryRead(out var envelope))
        {
            if (envelope.Direction == CodexDirection.Outbound && envelope.Method == method)
            {
                sent.Add(JsonNode.Parse(envelope.Json.Span)!);
            }
        }

        return sent;
    }

    public async ValueTask DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        _store.Dispose();
    }

    private static void Collect(JsonNode? node, List<string> parts)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, value) in o)
                {
                    Collect(value, parts);
                }

                break;
            case JsonArray a:
                foreach (var value in a)
                {
                    Collect(value, parts);
                }

                break;
            case JsonValue v when v.TryGetValue<string>(out var s):
                parts.Add(s);
                break;
        }
    }
}
