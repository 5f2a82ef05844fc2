using System.Text.Json.Nodes;

namespace CodexRuntime.Tests.Support;

/// <summary>
/// Lines recorded from the real codex binaries by build/TranscriptRecorder (initialize, thread/start, a streamed
/// turn, a command approval and a file-change approval), one file per supported version.
/// </summary>
internal sealed class Recording
{
    private Recording(string version, IReadOnlyList<string> lines, IReadOnlyList<string> outbound)
    {
        Version = version;
        Lines = lines;
        Outbound = outbound;
    }

    public const string Newest = "0.169.0";
    public const string Floor = "0.104.0";

    public string Version { get; }

    /// <summary>What codex sent, line by line.</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>What the client sent (requests, notifications and approval replies).</summary>
    public IReadOnlyList<string> Outbound { get; }

    public static Recording Load(string version)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Recordings", $"codex-{version}-session.jsonl");
        static string[] Read(string file) => File.ReadAllLines(file).Where(l => l.Length > 0).ToArray();
        return new Recording(version, Read(path), Read(Path.ChangeExtension(path, ".outbound.jsonl")));
    }

    public IEnumerable<string> Notifications => Lines.Where(l => Kind(l) == "notification");

    /// <summary>The first recorded line with <paramref name="method"/>.</summary>
    public string First(string method) => Lines.First(l => (string?)JsonNode.Parse(l)!["method"] == method);

    /// <summary>The recorded response to the request with the given recorded id.</summary>
    public string Response(int recordedId) =>
        Lines.First(l => JsonNode.Parse(l) is JsonObject o && !o.ContainsKey("method") && (int?)o["id"] == recordedId);

    /// <summary>The method of the client request with the given id.</summary>
    public string RequestMethod(JsonNode id) =>
        Outbound.Select(l => JsonNode.Parse(l)!.AsObject()).First(o => o.ContainsKey("method") && JsonNode.DeepEquals(o["id"], id))["method"]!.GetValue<string>();

    public static string Kind(string line)
    {
        var node = JsonNode.Parse(line)!.AsObject();
        return node.ContainsKey("method") ? (node.ContainsKey("id") ? "request" : "notification") : "response";
    }
}
