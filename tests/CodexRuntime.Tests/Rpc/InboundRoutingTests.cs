using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CodexRuntime.Rpc;
using CodexRuntime.Testing;
using CodexRuntime.Tests.Support;

namespace CodexRuntime.Tests.Rpc;

public sealed class InboundRoutingTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(Recording.Newest)]
    [InlineData(Recording.Floor)]
    public async Task Every_recorded_notification_reaches_the_observer_in_order_including_unknown_methods(string version)
    {
        var recording = Recording.Load(version);
        var observer = new RecordingMessageObserver();
        var (peer, connection) = await ScriptedPeer.ConnectAsync(observer);
        await using (peer)
        await using (connection)
        {
            var notifications = recording.Notifications.ToList();
            // A method no version knows today, and 0.104's legacy codex/event/* stream, are delivered like any other.
            notifications.Insert(notifications.Count / 2, """{"method":"future/somethingNew","params":{"threadId":"t","value":[1,2,3]}}""");
            foreach (var line in notifications)
            {
                await peer.WriteLineAsync(line);
            }

            await observer.WaitForAsync(_ => observer.Messages.Count == notifications.Count, Deadline);
            var received = observer.Messages;
            Assert.Equal(notifications.Select(MethodOf), received.Select(m => m.Method));
            Assert.Equal(Enumerable.Range(1, notifications.Count).Select(i => (long)i), received.Select(m => m.Sequence));
            Assert.All(received, m => Assert.Equal(CodexMessageKind.Notification, m.Kind));
            // The raw JSON is the line as sent, byte for byte.
            Assert.Equal(notifications, received.Select(m => m.ToString()));
            var unknown = received.Single(m => m.Method == "future/somethingNew");
            Assert.Equal(3, unknown.Params.GetProperty("value").GetArrayLength());
            Assert.Equal(notifications.Count, connection.NotificationCount);
        }
    }

    [Fact]
    public async Task Notifications_that_arrive_before_the_response_are_delivered_before_the_call_returns()
    {
        var recording = Recording.Load(Recording.Newest);
        var observer = new RecordingMessageObserver();
        var (peer, connection) = await ScriptedPeer.ConnectAsync(observer);
        await using (peer)
        await using (connection)
        {
            var call = connection.RequestAsync("turn/start", JsonDocument.Parse("""{"threadId":"t","input":[]}""").RootElement);
            var request = await peer.ReadAsync();
            Assert.Equal("turn/start", (string?)request["method"]);

            // codex can finish a whole turn before it answers turn/start.
            string[] early = [recording.First("turn/started"), recording.First("item/started"), recording.First("item/agentMessage/delta"), recording.First("turn/completed")];
            foreach (var line in early)
            {
                await peer.WriteLineAsync(line);
            }

            await peer.ReplyAsync(request, recording.Response(4));
            var result = await call.WaitAsync(Deadline);

            Assert.Equal("inProgress", result.GetProperty("turn").GetProperty("status").GetString());
            Assert.Equal(early.Select(MethodOf), observer.Messages.Select(m => m.Method));
        }
    }

    [Fact]
    public async Task Unknown_server_request_without_a_handler_is_answered_with_method_not_found()
    {
        var (peer, connection) = await ScriptedPeer.ConnectAsync(observer: null);
        await using (peer)
        await using (connection)
        {
            await peer.WriteLineAsync("""{"id":7,"method":"future/request","params":{"x":1}}""");
            Assert.Equal(
                """{"id":7,"error":{"code":-32601,"message":"CodexRuntime has no handler for server request \u0027future/request\u0027"}}""",
                await peer.ReadLineAsync());
            Assert.Equal(1, connection.ServerRequestCount);
        }
    }

    [Fact]
    public async Task Observer_that_does_not_handle_a_request_gets_it_answered_with_method_not_found_and_string_ids_are_kept()
    {
        var observer = new RecordingMessageObserver();
        var (peer, connection) = await ScriptedPeer.ConnectAsync(observer);
        await using (peer)
        await using (connection)
        {
            await peer.WriteLineAsync("""{"id":"abc","method":"attestation/generate","params":{}}""");
            var reply = await peer.ReadAsync();
            Assert.Equal("abc", (string?)reply["id"]);
            Assert.Equal(-32601, (int?)reply["error"]!["code"]);
            Assert.Equal("attestation/generate", observer.Messages.Single().Method);
        }
    }

    [Theory]
    [InlineData(Recording.Newest, "item/commandExecution/requestApproval")]
    [InlineData(Recording.Newest, "item/fileChange/requestApproval")]
    [InlineData(Recording.Floor, "item/commandExecution/requestApproval")]
    [InlineData(Recording.Floor, "item/fileChange/requestApproval")]
    public async Task Approval_reply_wire_format_is_pinned(string version, string method)
    {
        // The recorded request, answered the way the real binary accepted in build/TranscriptRecorder: codex framing,
        // no "jsonrpc" member and no "error": null beside the result.
        var recorded = Recording.Load(version).First(method);
        var observer = new RecordingMessageObserver
        {
            ServerRequestHandler = (_, _) => ValueTask.FromResult(RecordingMessageObserver.Reply("""{"decision":"accept"}""")),
        };
        var (peer, connection) = await ScriptedPeer.ConnectAsync(observer);
        await using (peer)
        await using (connection)
        {
            await peer.WriteLineAsync(recorded);
            var id = JsonNode.Parse(recorded)!["id"]!.ToJsonString();
            Assert.Equal($$$"""{"id":{{{id}}},"result":{"decision":"accept"}}""", await peer.ReadLineAsync());

            var request = observer.Messages.Single();
            Assert.Equal(CodexMessageKind.ServerRequest, request.Kind);
            Assert.Equal(method, request.Method);
            Assert.NotNull(request.Params.GetProperty("itemId").GetString());
        }
    }

    [Fact]
    public async Task Handler_that_throws_is_answered_with_internal_error_and_the_connection_continues()
    {
        var observer = new RecordingMessageObserver { ServerRequestHandler = (_, _) => throw new InvalidOperationException("boom") };
        var (peer, connection) = await ScriptedPeer.ConnectAsync(observer);
        await using (peer)
        await using (connection)
        {
            await peer.WriteLineAsync("""{"id":3,"method":"item/tool/call","params":{}}""");
            var reply = await peer.ReadAsync();
            Assert.Equal(-32603, (int?)reply["error"]!["code"]);
            Assert.DoesNotContain("boom", reply.ToJsonString(), StringComparison.Ordinal);

            var call = connection.RequestAsync("model/list");
            await peer.ReplyAsync(await peer.ReadAsync(), """{"id":0,"result":{"data":[]}}""");
            await call.WaitAsync(Deadline);
        }
    }

    [Fact]
    public async Task Server_request_handlers_do_not_run_on_the_reader_loop()
    {
        // The handler waits for a notification that arrives after its request. If the handler blocked the reader,
        // that notification could never be read and this test would time out.
        var later = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var observer = new LaterNotificationObserver(later);
        var (peer, connection) = await ScriptedPeer.ConnectAsync(observer);
        await using (peer)
        await using (connection)
        {
            await peer.WriteLineAsync("""{"id":1,"method":"item/commandExecution/requestApproval","params":{"itemId":"call-1"}}""");
            await peer.WriteLineAsync("""{"method":"serverRequest/resolved","params":{"requestId":1}}""");
            Assert.Equal("""{"id":1,"result":{"decision":"decline"}}""", await peer.ReadLineAsync());
        }
    }

    [Fact]
    public async Task A_20_MB_notification_and_a_20_MB_response_arrive_whole()
    {
        var observer = new RecordingMessageObserver();
        var (peer, connection) = await ScriptedPeer.ConnectAsync(observer);
        await using (peer)
        await using (connection)
        {
            var big = BigText(20 * 1024 * 1024);
            var notification = $$$"""{"method":"turn/diff/updated","params":{"threadId":"t","turnId":"u","diff":"{{{big}}}"}}""";
            // Written in uneven slices, as a pipe delivers it.
            var bytes = Encoding.UTF8.GetBytes(notification + "\n");
            for (var offset = 0; offset < bytes.Length; offset += 1_000_003)
            {
                await peer.WriteBytesAsync(bytes.AsMemory(offset, Math.Min(1_000_003, bytes.Length - offset)));
            }

            var received = await observer.WaitForMethodAsync("turn/diff/updated", Deadline);
            Assert.Equal(bytes.Length - 1, received.Json.Length);
            Assert.Equal(big, received.Params.GetProperty("diff").GetString());

            var call = connection.RequestAsync("thread/resume", JsonDocument.Parse("""{"threadId":"t"}""").RootElement);
            var request = await peer.ReadAsync();
            await peer.WriteLineAsync($$$"""{"id":{{{request["id"]}}},"result":{"history":"{{{big}}}"}}""");
            var result = await call.WaitAsync(Deadline);
            Assert.Equal(big.Length, result.GetProperty("history").GetString()!.Length);
            Assert.Equal(0, connection.MalformedLineCount);
        }
    }

    [Fact]
    public async Task Lines_that_are_not_json_rpc_are_counted_and_skipped_and_the_connection_survives()
    {
        var observer = new RecordingMessageObserver();
        var (peer, connection) = await ScriptedPeer.ConnectAsync(observer);
        await using (peer)
        await using (connection)
        {
            string[] garbage =
            [
                "this is not json",
                """{"method":"truncated","params":{"a":""",
                "[1,2,3]",
                "{}",
                """{"id":5}""",
                """{"method":42}""",
                """{"id":1,"result":{}} trailing""",
                """{"id":999,"error":{"message":"no code"}}""",
            ];
            foreach (var line in garbage)
            {
                await peer.WriteLineAsync(line);
            }

            await peer.WriteLineAsync("");
            await peer.WriteLineAsync("""{"method":"warning","params":{"message":"still here"}}""");
            await observer.WaitForMethodAsync("warning", Deadline);

            var call = connection.RequestAsync("model/list");
            await peer.ReplyAsync(await peer.ReadAsync(), """{"id":0,"result":{"data":[]}}""");
            await call.WaitAsync(Deadline);

            Assert.Equal(garbage.Length, connection.MalformedLineCount);
            Assert.Single(observer.Messages);
            Assert.True(connection.IsConnected);
        }
    }

    [Fact]
    public async Task Crlf_line_endings_and_a_final_line_without_newline_are_read()
    {
        var observer = new RecordingMessageObserver();
        var (peer, connection) = await ScriptedPeer.ConnectAsync(observer);
        await using (peer)
        await using (connection)
        {
            await peer.WriteBytesAsync(Encoding.UTF8.GetBytes("{\"method\":\"a\"}\r\n{\"method\":\"b\"}"));
            await peer.CloseAsync();
            await observer.WaitForMethodAsync("b", Deadline);
            Assert.Equal(["a", "b"], observer.Messages.Select(m => m.Method));
        }
    }

    private static string MethodOf(string line) => (string)JsonNode.Parse(line)!["method"]!;

    private static string BigText(int length)
    {
        var builder = new StringBuilder(length);
        for (var i = 0; builder.Length < length; i++)
        {
            builder.Append("line ").Append(i).Append(" of a large diff ");
        }

        return builder.ToString(0, length);
    }

    private sealed class LaterNotificationObserver(TaskCompletionSource later) : ICodexMessageObserver
    {
        public void OnNotification(CodexInboundMessage notification) => later.TrySetResult();

        public async ValueTask<CodexServerReply> OnServerRequestAsync(CodexInboundMessage request, CancellationToken cancellationToken)
        {
            await later.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            return RecordingMessageObserver.Reply("""{"decision":"decline"}""");
        }
    }
}
