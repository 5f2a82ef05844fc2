using System.Text.Json.Nodes;
using CodexRuntime.Artifact.Storage;
using CodexRuntime.Events;
using CodexRuntime.Testing;
using CodexRuntime.Transport;

namespace CodexRuntime.Artifact.Tests.Support;

/// <summary>
/// What an artifact test on the real binary needs: codex of one version, a FakeModelServer, an isolated CODEX_HOME
/// (approval never, read-only), a workspace and a store root. Clients made here are new codex processes on the same
/// home, so threads carry over from one to the next. Disposing removes everything.
/// </summary>
internal sealed class ArtifactRig : IAsyncDisposable
{
    private readonly TempFolder _workspace = new("artifact-ws-");
    private readonly TempFolder _store = new("artifact-store-");

    private ArtifactRig(string binary, FakeModelServer model)
    {
        Binary = binary;
        Model = model;
        Home = TemporaryCodexHome.Create(model);
    }

    public string Binary { get; }

    public FakeModelServer Model { get; }

    public TemporaryCodexHome Home { get; }

    public string Workspace => _workspace.Path;

    public string StoreRoot => _store.Path;

    public static async Task<ArtifactRig> CreateAsync(string version) => new(await CodexVersions.BinaryAsync(version), FakeModelServer.Start());

    /// <summary>A new client (its own codex process, started on first use) with an audit subscription of every envelope.</summary>
    public (CodexClient Client, CodexEnvelopeSubscription Audit) NewClient()
    {
        var config = new ClientConfig();
        config.Runtime.Process = Home.ApplyTo(new CodexProcessOptions { ExecutablePath = Binary, WorkingDirectory = Workspace });
        config.Runtime.Connection.RequestTimeout = TimeSpan.FromSeconds(30);
        var client = new CodexClient(config);
        var audit = client.Runtime.Subscribe(new CodexSubscriptionOptions { Capacity = 100_000 });
        return (client, audit);
    }

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
        await Model.DisposeAsync();
        Home.Dispose();
        _workspace.Dispose();
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
