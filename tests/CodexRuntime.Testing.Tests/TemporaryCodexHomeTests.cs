using CodexRuntime.Transport;

namespace CodexRuntime.Testing.Tests;

public sealed class TemporaryCodexHomeTests
{
    [Fact]
    public async Task Config_points_codex_at_the_fake_server_with_the_chosen_policy_and_sandbox()
    {
        await using var server = FakeModelServer.Start();
        string path;
        using (var home = TemporaryCodexHome.Create(server, approvalPolicy: "on-request", sandboxMode: "workspace-write", extraToml: "[tools]\nweb_search = false"))
        {
            path = home.Path;
            var config = File.ReadAllText(home.ConfigPath);
            Assert.Contains($"base_url = \"{server.BaseUrl}\"", config, StringComparison.Ordinal);
            Assert.Contains("approval_policy = \"on-request\"", config, StringComparison.Ordinal);
            Assert.Contains("sandbox_mode = \"workspace-write\"", config, StringComparison.Ordinal);
            Assert.Contains("model_provider = \"mock_provider\"", config, StringComparison.Ordinal);
            Assert.Contains("request_max_retries = 0", config, StringComparison.Ordinal);
            Assert.Contains("[tools]\nweb_search = false", config.ReplaceLineEndings("\n"), StringComparison.Ordinal);

            var options = home.ApplyTo(new CodexProcessOptions());
            Assert.Equal(home.Path, options.CodexHome);
            Assert.Equal(home.UserHome, options.Environment["HOME"]);
            Assert.True(Directory.Exists(home.UserHome));
        }

        Assert.False(Directory.Exists(path));
    }

    [Fact]
    public async Task The_model_is_described_by_a_catalog_and_a_versioned_models_cache_only_on_request()
    {
        await using var server = FakeModelServer.Start();
        using (var home = TemporaryCodexHome.Create(server))
        {
            var config = File.ReadAllText(home.ConfigPath);
            Assert.Contains($"model = \"{TemporaryCodexHome.Model}\"", config, StringComparison.Ordinal);
            Assert.Contains("model_catalog_json = ", config, StringComparison.Ordinal);
            Assert.Contains("remote_models = false", config, StringComparison.Ordinal);
            var catalog = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(home.ModelCatalogPath))!;
            Assert.Equal(TemporaryCodexHome.Model, (string?)catalog["models"]![0]!["slug"]);
            Assert.False(File.Exists(Path.Combine(home.Path, "models_cache.json")));
        }

        using (var home = TemporaryCodexHome.Create(server, codexVersion: "0.104.0"))
        {
            Assert.Contains("remote_models = true", File.ReadAllText(home.ConfigPath), StringComparison.Ordinal);
            var cache = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(home.Path, "models_cache.json")))!;
            Assert.Equal("0.104.0", (string?)cache["client_version"]);
            Assert.Equal(TemporaryCodexHome.Model, (string?)cache["models"]![0]!["slug"]);
        }

        Assert.Throws<ArgumentException>(() => TemporaryCodexHome.Create(server, codexVersion: "latest"));
    }

    [Theory]
    [InlineData("always", "read-only", "approval policy")]
    [InlineData("never", "full", "sandbox mode")]
    public async Task Unknown_policy_or_sandbox_fails_naming_the_valid_values(string policy, string sandbox, string what)
    {
        await using var server = FakeModelServer.Start();
        var error = Assert.Throws<ArgumentException>(() => TemporaryCodexHome.Create(server, policy, sandbox));
        Assert.Contains($"Unknown {what}", error.Message, StringComparison.Ordinal);
        Assert.Contains("Use one of:", error.Message, StringComparison.Ordinal);
    }
}
