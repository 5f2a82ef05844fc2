using CodexRuntime.Transport;

namespace CodexRuntime.Tests.Transport;

public sealed class CodexEndpointTests
{
    [Theory]
    [InlineData("stdio://", CodexEndpointKind.Stdio, "stdio://")]
    [InlineData("unix:///tmp/codex.sock", CodexEndpointKind.UnixSocket, "unix:///tmp/codex.sock")]
    [InlineData("ws://127.0.0.1:4500", CodexEndpointKind.WebSocket, "ws://127.0.0.1:4500")]
    [InlineData("ws://[::1]:4500/", CodexEndpointKind.WebSocket, "ws://[::1]:4500")]
    public void Parses_the_forms_codex_listen_takes_and_prints_them_back(string value, CodexEndpointKind kind, string printed)
    {
        var endpoint = CodexEndpoint.Parse(value);
        Assert.Equal(kind, endpoint.Kind);
        Assert.Equal(printed, endpoint.ToString());
        Assert.Equal(endpoint, CodexEndpoint.Parse(printed));
    }

    [Theory]
    [InlineData("unix://", "absolute")]
    [InlineData("unix://relative.sock", "absolute")]
    [InlineData("ws://127.0.0.1", "explicit port")]
    [InlineData("ws://127.0.0.1:4500/path", "no path")]
    [InlineData("wss://example.com:443", "plain ws://")]
    [InlineData("http://127.0.0.1:4500", "not stdio, unix or ws")]
    public void Refuses_other_forms_saying_why(string value, string reason)
    {
        var error = Assert.Throws<FormatException>(() => CodexEndpoint.Parse(value));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.False(CodexEndpoint.TryParse(value, out _));
    }

    [Theory]
    [InlineData("ws://127.0.0.1:1", true)]
    [InlineData("ws://127.8.0.1:1", true)]
    [InlineData("ws://localhost:1", true)]
    [InlineData("ws://[::1]:1", true)]
    [InlineData("ws://0.0.0.0:1", false)]
    [InlineData("ws://10.1.2.3:1", false)]
    [InlineData("unix:///tmp/x.sock", false)]
    public void Knows_a_loopback_address(string value, bool loopback) =>
        Assert.Equal(loopback, CodexEndpoint.Parse(value).IsLoopback);

    [Fact]
    public async Task Start_and_attach_on_a_public_address_without_a_token_is_refused_before_anything_starts()
    {
        var options = new CodexProcessOptions { Listen = CodexEndpoint.WebSocket("0.0.0.0", 4599), ExecutablePath = "/nonexistent/codex" };
        var error = await Assert.ThrowsAsync<CodexConnectException>(() => CodexTransportFactory.OpenAsync(options));
        Assert.Contains("without a token", error.Message, StringComparison.Ordinal);
    }
}
