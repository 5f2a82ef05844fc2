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
