using System.Text.Json;
using System.Text.Json.Serialization;
using CodexRuntime.Rpc;
using CodexRuntime.Tests.Support;

namespace CodexRuntime.Tests.Rpc;

public sealed partial class RequestTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(-32001, typeof(CodexServerOverloadedException))]
    [InlineData(-32600, typeof(CodexInvalidRequestException))]
    [InlineData(-32601, typeof(CodexMethodNotFoundException))]
    [InlineData(-32602, typeof(CodexInvalidParamsException))]
    [InlineData(-32603, typeof(CodexRpcException))]
    [InlineData(-1, typeof(CodexRpcException))]
    public async Task Json_rpc_errors_map_to_typed_exceptions_with_code_message_and_data(int code, Type expected)
    {
        var (peer, connection) = await ScriptedPeer.ConnectAsync();
        await using (peer)
        await using (connection)
        {
            var call = connection.RequestAsync("thread/start", JsonDocument.Parse("{}").RootElement);
            var request = await peer.ReadAsync();
            await peer.WriteLineAsync("{\"id\":" + request["id"] + ",\"error\":{\"code\":" + code + ""","message":"scripted failure","data":{"hint":"h"}}}""");

            var error = await Assert.ThrowsAnyAsync<CodexRpcException>(() => call.WaitAsync(Deadline));
            Assert.IsType(expected, error);
            Assert.Equal(code, error.Code);
            Assert.Equal("thread/start", error.Method);
            Assert.Equal("scripted failure", error.ErrorMessage);
            Assert.Equal("h", error.ErrorData!.Value.GetProperty("hint").GetString());

            Assert.Contains("thread/start", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Request_without_an_answer_fails_with_a_timeout_naming_the_method()
    {
        var (peer, connection) = await ScriptedPeer.ConnectAsync();
        await using (peer)
        await using (connection)
        {
            var error = await Assert.ThrowsAsync<CodexTimeoutException>(
                () => connection.RequestAsync("config/read", null, TimeSpan.FromMilliseconds(100)));
            Assert.Equal("config/read", error.Operation);
            Assert.Equal(TimeSpan.FromMilliseconds(100), error.Timeout);
            Assert.True(connection.IsConnected);
        }
    }

    [Fact]
    public async Task A_late_answer_to_a_timed_out_request_is_ignored_and_the_connection_lives_on()
    {
        var (peer, connection) = await ScriptedPeer.ConnectAsync();
        await using (peer)
        await using (connection)
        {
            await Assert.ThrowsAsync<CodexTimeoutException>(() => connection.RequestAsync("config/read", null, TimeSpan.FromMilliseconds(100)));
            var late = await peer.ReadAsync();
            await peer.ReplyAsync(late, """{"id":0,"result":{"config":{}}}""");

            var next = connection.RequestAsync("model/list");
            await peer.ReplyAsync(await peer.ReadAsync(), """{"id":0,"result":{"data":[]}}""");
            await next.WaitAsync(Deadline);
            Assert.True(connection.IsConnected);
        }
    }

    [Fact]
    public async Task A_response_to_a_request_never_sent_is_counted_and_skipped()
    {
        // StreamJsonRpc would disconnect on it ("a response was received without a request having been sent").
        var (peer, connection) = await ScriptedPeer.ConnectAsync();
        await using (peer)
        await using (connection)
        {
            await peer.WriteLineAsync("""{"id":4242,"result":{}}""");
            await peer.WriteLineAsync("""{"id":"nope","error":{"code":-1,"message":"x"}}""");
            var next = connection.RequestAsync("model/list");
            await peer.ReplyAsync(await peer.ReadAsync(), """{"id":0,"result":{"data":[]}}""");
            await next.WaitAsync(Deadline);
            Assert.Equal(2, connection.MalformedLineCount);
            Assert.True(connection.IsConnected);
        }
    }

    [Fact]
    public async Task Caller_cancellation_surfaces_as_operation_cancelled()
    {
        var (peer, connection) = await ScriptedPeer.ConnectAsync();
        await using (peer)
        await using (connection)
        {
            using var cancel = new CancellationTokenSource();
            var call = connection.RequestAsync("config/read", cancellationToken: cancel.Token);
            await peer.ReadAsync();
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        }
    }

    [Fact]
    public async Task Requests_use_the_source_generated_context_of_the_caller()
    {
        var options = new CodexConnectionOptions { TypeInfoResolver = TestJsonContext.Default };
        var (peer, connection) = await ScriptedPeer.ConnectAsync(options: options);
        await using (peer)
        await using (connection)
        {
            var call = connection.SendAsync<EchoResult>("test/echo", new EchoParams("hi"), timeout: null, privilegedEscalation: false, CancellationToken.None);
            var request = await peer.ReadAsync();
            Assert.Equal("hi", (string?)request["params"]!["text"]);
            await peer.WriteLineAsync($$$"""{"id":{{{request["id"]}}},"result":{"echo":"hi back","extra":true}}""");
            var result = await call.WaitAsync(Deadline);
            Assert.Equal("hi back", result.Echo);
        }
    }

    [Fact]
    public async Task Closed_pipe_fails_every_pending_call_at_once_with_transport_closed()
    {
        var (peer, connection) = await ScriptedPeer.ConnectAsync();
        await using (connection)
        {
            var first = connection.RequestAsync("thread/list");
            var second = connection.RequestAsync("model/list");
            await peer.ReadAsync();
            await peer.ReadAsync();

            // Both fail long before their 60 s deadline, without any answer. The one-second promise itself is checked
            // against the real binary (ConnectionTests, SupervisionTests); a loaded test host must not make this flaky.
            await peer.CloseAsync();
            var error = await Assert.ThrowsAsync<CodexTransportClosedException>(() => first.WaitAsync(TimeSpan.FromSeconds(5)));
            await Assert.ThrowsAsync<CodexTransportClosedException>(() => second.WaitAsync(TimeSpan.FromSeconds(5)));
            Assert.Contains("thread/list", error.Message, StringComparison.Ordinal);

            var info = await connection.Completion.WaitAsync(Deadline);
            Assert.Equal(CodexDisconnectReason.StreamClosed, info.Reason);
            Assert.False(connection.IsConnected);

            // Later calls fail straight away, with the same type.
            await Assert.ThrowsAsync<CodexTransportClosedException>(() => connection.RequestAsync("model/list"));
            await Assert.ThrowsAsync<CodexTransportClosedException>(() => connection.NotifyAsync("initialized"));
        }
    }

    [Fact]
    public async Task Dispose_fails_pending_calls_and_completes_with_disposed()
    {
        var (peer, connection) = await ScriptedPeer.ConnectAsync();
        await using (peer)
        {
            var pending = connection.RequestAsync("thread/list");
            await peer.ReadAsync();
            await connection.DisposeAsync();
            await Assert.ThrowsAsync<CodexTransportClosedException>(() => pending.WaitAsync(Deadline));
            Assert.Equal(CodexDisconnectReason.Disposed, (await connection.Completion).Reason);
            await connection.DisposeAsync();
        }
    }

    internal sealed record EchoParams(string Text);

    internal sealed record EchoResult(string Echo);

    [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
    [JsonSerializable(typeof(EchoParams))]
    [JsonSerializable(typeof(EchoResult))]
    internal sealed partial class TestJsonContext : JsonSerializerContext;
}
