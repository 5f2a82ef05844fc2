using CodexRuntime.Protocol;

namespace CodexRuntime.Tests.Rpc;

public sealed class CodexVersionTests
{
    [Theory]
    [InlineData("codex_runtime_dotnet/0.169.0 (Debian 12.0.0; x86_64) xterm (codex_runtime_dotnet; 0.1.0)", "0.169.0")]
    [InlineData("probe/0.104.0 (Debian 12.0.0; x86_64) xterm (probe; 1)", "0.104.0")]
    [InlineData("codex_vscode/0.170.0-alpha.2 (Mac OS 15.1.0; arm64)", "0.170.0-alpha.2")]
    public void Reads_the_version_after_the_first_slash_of_the_user_agent(string userAgent, string expected)
    {
        Assert.True(CodexVersion.TryParseUserAgent(userAgent, out var version));
        Assert.Equal(expected, version.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("no-slash-here")]
    [InlineData("name/not-a-version")]
    public void Rejects_user_agents_without_a_version(string userAgent) =>
        Assert.False(CodexVersion.TryParseUserAgent(userAgent, out _));

    [Fact]
    public void Orders_by_numbers_then_prerelease()
    {
        Assert.True(CodexVersion.Parse("0.104.0") < CodexVersion.Parse("0.169.0"));
        Assert.True(CodexVersion.Parse("0.99.9") < CodexVersion.MinimumSupported);
        Assert.True(CodexVersion.Parse("1.0.0") > CodexVersion.Parse("0.999.999"));
        Assert.True(CodexVersion.Parse("0.170.0-alpha.1") < CodexVersion.Parse("0.170.0"));
        Assert.True(CodexVersion.Parse("0.104.0") >= CodexVersion.MinimumSupported);
        Assert.Throws<FormatException>(() => CodexVersion.Parse("0.104"));
    }
}
