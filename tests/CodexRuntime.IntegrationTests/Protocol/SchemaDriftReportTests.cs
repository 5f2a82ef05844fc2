using System.Text.Json.Nodes;
using CodexRuntime.ProtocolGenerator;

namespace CodexRuntime.IntegrationTests.Protocol;

/// <summary>The drift report reads well: a method added, a method removed, a field added, changed, removed, made required.</summary>
public sealed class SchemaDriftReportTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("drift-");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public void Lists_added_removed_and_changed_methods_and_fields()
    {
        var before = Write("before", ["thread/start", "thread/rollback"], new JsonObject
        {
            ["ThreadStartParams"] = Object(new JsonObject { ["cwd"] = Str(), ["model"] = Str(), ["legacy"] = Str() }, "cwd"),
        });
        var after = Write("after", ["thread/start", "thread/goal/set"], new JsonObject
        {
            ["ThreadStartParams"] = Object(new JsonObject { ["cwd"] = new JsonObject { ["type"] = "integer" }, ["model"] = Str(), ["effort"] = Str() }, "cwd", "model"),
            ["ThreadGoalSetParams"] = Object(new JsonObject { ["goal"] = Str() }),
        });

        var drift = SchemaDrift.Compare(before, after, "9.9.9");

        Assert.Contains("+ client request thread/goal/set", drift);
        Assert.Contains("- client request thread/rollback", drift);
        Assert.Contains("+ type ThreadGoalSetParams", drift);
        Assert.Contains("+ field ThreadStartParams.effort", drift);
        Assert.Contains("- field ThreadStartParams.legacy", drift);
        Assert.Contains("~ field ThreadStartParams.cwd: {\"type\":\"string\"} -> {\"type\":\"integer\"}", drift);
        Assert.Contains("~ field ThreadStartParams.model: now required", drift);
        Assert.Empty(SchemaDrift.Compare(before, before, "9.9.9"));
    }

    private static JsonObject Str() => new() { ["type"] = "string" };

    private static JsonObject Object(JsonObject properties, params string[] required) => new()
    {
        ["type"] = "object",
        ["properties"] = properties,
        ["required"] = new JsonArray(required.Select(r => (JsonNode)r).ToArray()),
    };

    private string Write(string name, string[] methods, JsonObject definitions)
    {
        var variants = new JsonArray(methods.Select(m => (JsonNode)new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject { ["method"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray(m) } },
        }).ToArray());
        definitions["ClientRequest"] = new JsonObject { ["oneOf"] = variants };
        var bundle = new JsonObject { ["definitions"] = definitions }.ToJsonString();
        var folder = Directory.CreateDirectory(Path.Combine(_root.FullName, name)).FullName;
        File.WriteAllText(Path.Combine(folder, "codex_app_server_protocol.schemas.json"), bundle);
        File.WriteAllText(Path.Combine(folder, "codex_app_server_protocol.experimental.schemas.json"), bundle);
        return folder;
    }
}
