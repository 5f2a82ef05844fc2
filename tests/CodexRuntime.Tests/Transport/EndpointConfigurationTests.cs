using CodexRuntime.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using CodexRuntime.Transport;

namespace CodexRuntime.Tests.Transport;

/// <summary>Listen and Attach bind from configuration as the URL <c>codex app-server --listen</c> takes.</summary>
public sealed class EndpointConfigurationTests
{
    [Fact]
    public async Task Listen_attach_and_token_bind_from_configuration()
    {
        await using var provider = ConfiguredServices.Build(new()
        {
            ["CodexRuntime:Runtime:Process:Listen"] = "unix:///tmp/codex-app.sock",
            ["CodexRuntime:Runtime:Process:Attach"] = "ws://127.0.0.1:4500",
            ["CodexRuntime:Runtime:Process:WebSocketToken"] = "from-a-secret-store",
            ["CodexRuntime:Runtime:Process:ListenTimeout"] = "00:00:07",
        });

        var process = provider.GetRequiredService<CodexClient>().Config.Runtime.Process;

        Assert.Equal(CodexEndpoint.UnixSocket("/tmp/codex-app.sock"), process.Listen);
        Assert.Equal(CodexEndpoint.WebSocket("127.0.0.1", 4500), process.Attach);
        Assert.Equal("from-a-secret-store", process.WebSocketToken);
        Assert.Equal(TimeSpan.FromSeconds(7), process.ListenTimeout);
    }

    [Fact]
    public async Task An_endpoint_that_does_not_parse_names_the_key()
    {
        await using var provider = ConfiguredServices.Build(new() { ["CodexRuntime:Runtime:Process:Attach"] = "http://127.0.0.1:4500" });

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<CodexClient>());

        Assert.Contains("CodexRuntime:Runtime:Process:Attach", error.Message, StringComparison.Ordinal);
    }
}
