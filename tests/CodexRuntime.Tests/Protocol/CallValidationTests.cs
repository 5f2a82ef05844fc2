using System.Text.Json;
using CodexRuntime.Protocol;
using CodexRuntime.Rpc;
using CodexRuntime.Tests.Support;

namespace CodexRuntime.Tests.Protocol;

/// <summary>Typed calls are checked against the catalog before anything reaches the wire.</summary>
public sealed class CallValidationTests
{
    private const string Floor = """{"id":0,"result":{"userAgent":"codex_runtime_dotnet/0.104.0 (Debian 12.0.0; x86_64)"}}""";

    [Fact]
    public async Task Experimental_method_without_opt_in_fails_before_sending()
    {
        var (peer, connection) = await ScriptedPeer.ConnectAsync();
        await using (peer)
        await using (connection)
        {
            var error = await Assert.ThrowsAsync<CodexExperimentalApiRequiredException>(() =>
                connection.CallAsync(CodexMethods.CollaborationModeList, new CollaborationModeListParams()));
            Assert.Equal("collaborationMode/list", error.Method);
            Assert.Contains("ExperimentalApi = true", error.Message, StringComparison.Ordinal);
            await AssertNothingWasSentAsync(peer, connection);
        }
    }

    [Fact]
    public async Task Raw_request_for_an_experimental_method_is_refused_too()
    {
        var (peer, connection) = await ScriptedPeer.ConnectAsync();
        await using (peer)
        await using (connection)
        {
            await Assert.ThrowsAsync<CodexExperimentalApiRequiredException>(() => connection.RequestAsync("collaborationMode/list", JsonDocument.Parse("{}").RootElement));
            await AssertNothingWasSentAsync(peer, connection);
        }
    }

    [Fact]
    public async Task Experimental_field_without_opt_in_fails_naming_the_field()
    {
        var (peer, connection) = await ScriptedPeer.ConnectAsync();
        await using (peer)
        await using (connection)
        {
            var error = await Assert.ThrowsAsync<CodexExperimentalApiRequiredException>(() =>
                connection.CallAsync(CodexMethods.ThreadStart, new ThreadStartParams { Cwd = "/w", MockExperimentalField = "x" }));
            Assert.Equal(["mockExperimentalField"], error.ExperimentalFields);
            Assert.Contains("'mockExperimentalField'", error.Message, StringComparison.Ordinal);
            await AssertNothingWasSentAsync(peer, connection);
        }
    }

    [Fact]
    public async Task With_the_opt_in_experimental_methods_and_fields_are_sent()
    {
        var (peer, connection) = await ScriptedPeer.ConnectAsync(options: new CodexConnectionOptions { ExperimentalApi = true });
        await using (peer)
        await using (connection)
        {
            var call = connection.CallAsync(CodexMethods.ThreadStart, new ThreadStartParams { MockExperimentalField = "x" });
            var request = await peer.ReadAsync();
            Assert.Equal("x", (string?)request["params"]!["mockExperimentalField"]);
            Assert.Equal("thread/start", (string?)request["method"]);
            await peer.ReplyAsync(request, Recording.Load(Recording.Newest).Response(3));
            var result = await call.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.False(string.IsNullOrEmpty(result.Thread.Id));
        }
    }

    [Fact]
    public async Task A_release_between_floor_and_pinned_may_call_what_it_has_and_only_that()
    {
        // ScriptedPeer's codex says 0.169.0: older than the pinned 0.171.0, newer than the floor.
        var (peer, connection) = await ScriptedPeer.ConnectAsync();
        await using (peer)
        await using (connection)
        {
            var newer = await Assert.ThrowsAsync<CodexMethodUnavailableException>(() =>
                connection.CallAsync(CodexMethods.ModelProviderDefaultSet, new ModelProviderDefaultSetParams { ProviderId = "openai" }));
            Assert.Equal(("0.169.0", "0.171.0"), (newer.ServerVersion, newer.KnownFrom));
            await AssertNothingWasSentAsync(peer, connection);

            var call = connection.CallAsync(CodexMethods.FsReadFile, new FsReadFileParams { Path = "/etc/hostname" });
            var request = await peer.ReadAsync();
            Assert.Equal("fs/readFile", (string?)request["method"]);
            await peer.ReplyAsync(request, """{"id":0,"result":{"dataBase64":""}}""");
            await call.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task Method_newer_than_the_connected_codex_fails_naming_both_versions()
    {
        var (peer, connection) = await ScriptedPeer.ConnectAsync(initializeResponse: Floor);
        await using (peer)
        await using (connection)
        {
            var error = await Assert.ThrowsAsync<CodexMethodUnavailableException>(() =>
                connection.CallAsync(CodexMethods.FsReadFile, new FsReadFileParams { Path = "/etc/hostname" }));
            Assert.Equal("0.104.0", error.ServerVersion);
            Assert.Equal("0.169.0", error.KnownFrom);
            Assert.Contains("fs/readFile", error.Message, StringComparison.Ordinal);
            await AssertNothingWasSentAsync(peer, connection);
        }
    }

    [Fact]
    public async Task Validation_mode_none_sends_anything()
    {
        var options = new CodexConnectionOptions { ValidationMode = CodexValidationMode.None };
        var (peer, connection) = await ScriptedPeer.ConnectAsync(options: options, initializeResponse: Floor);
        await using (peer)
        await using (connection)
        {
            var call = connection.CallAsync(CodexMethods.FsReadFile, new FsReadFileParams { Path = "/x" });
            var request = await peer.ReadAsync();
            Assert.Equal("fs/readFile", (string?)request["method"]);
            await peer.ReplyAsync(request, """{"id":0,"result":{"dataBase64":"aGk="}}""");
            Assert.Equal("aGk=", (await call.WaitAsync(TimeSpan.FromSeconds(10))).DataBase64);
        }
    }

    [Fact]
    public async Task Methods_without_params_are_sent_without_a_params_member()
    {
        var method = CodexMethods.All.OfType<CodexMethod>().First(m => m.ParamsType == typeof(CodexNoParams) && m.Stability == CodexStability.Stable && m.AvailableInFloorVersion);
        var (peer, connection) = await ScriptedPeer.ConnectAsync();
        await using (peer)
        await using (connection)
        {
            _ = connection.RequestAsync(method.Name, null, TimeSpan.FromSeconds(5));
            var request = await peer.ReadAsync();
            Assert.False(request.ContainsKey("params"));
        }
    }

    /// <summary>The next line the peer reads is a probe sent after the refused call: nothing went out before it.</summary>
    private static async Task AssertNothingWasSentAsync(ScriptedPeer peer, CodexConnection connection)
    {
        _ = connection.NotifyAsync("probe/afterRefusal");
        Assert.Equal("""{"method":"probe/afterRefusal"}""", await peer.ReadLineAsync());
    }
}
