using CodexRuntime.Protocol;
using CodexRuntime.Rpc;
using CodexRuntime.Tests.Support;

namespace CodexRuntime.Tests.Rpc;

public sealed class HandshakeTests
{
    [Theory]
    [InlineData(Recording.Newest)]
    [InlineData(Recording.Floor)]
    public async Task Recorded_initialize_response_without_jsonrpc_field_completes_the_handshake(string version)
    {
        var recording = Recording.Load(version);
        var recordedInitialize = recording.Lines[0];
        Assert.DoesNotContain("\"jsonrpc\"", recordedInitialize, StringComparison.Ordinal);

        await using var peer = ScriptedPeer.Create();
        var connecting = CodexConnection.ConnectAsync(peer.ClientTransport);

        var initialize = await peer.ReadAsync();
        Assert.Equal("initialize", (string?)initialize["method"]);
        Assert.Equal("codex_runtime_dotnet", (string?)initialize["params"]!["clientInfo"]!["name"]);
        await peer.ReplyAsync(initialize, recordedInitialize);

        // The "initialized" notification follows, in codex's own framing.
        Assert.Equal("""{"method":"initialized"}""", await peer.ReadLineAsync());

        await using var connection = await connecting;
        Assert.Equal(CodexVersion.Parse(version), connection.ServerInfo.Version);
        Assert.StartsWith("codex_runtime_dotnet/" + version, connection.ServerInfo.UserAgent, StringComparison.Ordinal);
        if (version == Recording.Floor)
        {
            // 0.104.0 returns only userAgent: the rest is optional.
            Assert.Null(connection.ServerInfo.CodexHome);
            Assert.Null(connection.ServerInfo.PlatformOs);
        }
        else
        {
            Assert.NotNull(connection.ServerInfo.CodexHome);
            Assert.Equal("linux", connection.ServerInfo.PlatformOs);
        }
    }

    [Fact]
    public async Task Experimental_opt_in_and_opt_outs_are_sent_as_capabilities()
    {
        var options = new CodexConnectionOptions { ExperimentalApi = true };
        options.OptOutNotificationMethods.Add("item/agentMessage/delta");
        await using var peer = ScriptedPeer.Create();
        var connecting = CodexConnection.ConnectAsync(peer.ClientTransport, options);

        var initialize = await peer.ReadAsync();
        var capabilities = initialize["params"]!["capabilities"]!;
        Assert.True((bool)capabilities["experimentalApi"]!);
        Assert.Equal("item/agentMessage/delta", (string?)capabilities["optOutNotificationMethods"]![0]);
        await peer.ReplyAsync(initialize, Recording.Load(Recording.Newest).Lines[0]);
        await peer.ReadLineAsync();
        await using var connection = await connecting;
    }

    [Fact]
    public async Task Server_older_than_the_minimum_fails_with_both_versions_named()
    {
        await using var peer = ScriptedPeer.Create();
        var connecting = CodexConnection.ConnectAsync(peer.ClientTransport);
        var initialize = await peer.ReadAsync();
        await peer.ReplyAsync(initialize, """{"id":0,"result":{"userAgent":"codex_runtime_dotnet/0.98.2 (Debian 12.0.0; x86_64)"}}""");

        var error = await Assert.ThrowsAsync<CodexCompatibilityException>(() => connecting);
        Assert.Equal("0.98.2", error.FoundVersion);
        Assert.Equal("0.104.0", error.RequiredVersion);
        Assert.Contains("0.98.2", error.Message, StringComparison.Ordinal);
        Assert.Contains("0.104.0", error.Message, StringComparison.Ordinal);
        Assert.Contains("CompatibilityGuard", error.Message, StringComparison.Ordinal);
        // Nothing more was sent: no "initialized" after a refused handshake.
        await Assert.ThrowsAnyAsync<Exception>(() => peer.ReadLineAsync());
    }

    [Fact]
    public async Task Compatibility_guard_can_be_turned_off()
    {
        var (peer, connection) = await ScriptedPeer.ConnectAsync(
            options: new CodexConnectionOptions { CompatibilityGuard = false },
            initializeResponse: """{"id":0,"result":{"userAgent":"codex_runtime_dotnet/0.98.2 (Debian 12.0.0; x86_64)"}}""");
        await using (peer)
        await using (connection)
        {
            Assert.Equal(new CodexVersion(0, 98, 2), connection.ServerInfo.Version);
        }
    }

    [Fact]
    public async Task Unreadable_user_agent_fails_the_guard_with_a_clear_message()
    {
        await using var peer = ScriptedPeer.Create();
        var connecting = CodexConnection.ConnectAsync(peer.ClientTransport);
        var initialize = await peer.ReadAsync();
        await peer.ReplyAsync(initialize, """{"id":0,"result":{"userAgent":"mystery-server"}}""");

        var error = await Assert.ThrowsAsync<CodexCompatibilityException>(() => connecting);
        Assert.Null(error.FoundVersion);
        Assert.Contains("mystery-server", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handshake_that_gets_no_answer_fails_with_a_connect_error_naming_the_timeout()
    {
        await using var peer = ScriptedPeer.Create();
        var options = new CodexConnectionOptions { InitializeTimeout = TimeSpan.FromMilliseconds(200) };
        var error = await Assert.ThrowsAsync<CodexConnectException>(() => CodexConnection.ConnectAsync(peer.ClientTransport, options));
        Assert.IsType<CodexTimeoutException>(error.InnerException);
        Assert.Contains("initialize", error.Message, StringComparison.Ordinal);
    }
}
