using System.Text;
using System.Text.Json;
using CodexRuntime.Events;
using CodexRuntime.Testing;
using CodexRuntime.Tests.Support;

namespace CodexRuntime.Tests.Events;

public sealed class EnvelopeStreamTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_reader_gets_every_envelope_of_a_10000_delta_turn_in_order_while_a_subscriber_that_never_reads_stays_bounded()
    {
        var (peer, connection) = await ScriptedPeer.ConnectAsync(new RecordingMessageObserver());
        await using (peer)
        await using (connection)
        {
            using var reader = connection.Subscribe(new CodexSubscriptionOptions { Capacity = 20_000 });
            using var stalled = connection.Subscribe(new CodexSubscriptionOptions { Capacity = 100 });
            const int deltas = 10_000;

            var sending = Task.Run(async () =>
            {
                for (var i = 0; i < deltas; i++)
                {
                    await peer.WriteLineAsync(DeltaLine(i));
                }

                await peer.WriteLineAsync("""{"method":"turn/completed","params":{"threadId":"t","turn":{"id":"u","items":[],"status":"completed"}}}""");
            });

            var received = new List<CodexEnvelope>();
            await foreach (var envelope in reader.ReadAllAsync().WithCancellation(new CancellationTokenSource(Deadline).Token))
            {
                received.Add(envelope);
                if (envelope.Method == "turn/completed")
                {
                    break;
                }
            }

            await sending;
            Assert.Equal(deltas + 1, received.Count);
            Assert.Equal(Enumerable.Range(0, deltas).Select(i => $"{i} "), received.Take(deltas).Select(Delta));
            Assert.True(received.Zip(received.Skip(1)).All(p => p.First.Sequence < p.Second.Sequence), "sequence numbers must increase");
            Assert.All(received, e => Assert.Equal(("t", "u"), (e.ThreadId, e.TurnId)));
            Assert.Equal(0, reader.DroppedCount);

            // The stalled subscriber holds at most its capacity; everything else it missed is counted, here and in total.
            Assert.Equal(100, stalled.Reader.Count);
            Assert.Equal(deltas + 1 - 100, stalled.DroppedCount);
            Assert.True(stalled.HasLostEvents);
            Assert.Equal(stalled.DroppedCount, connection.DroppedEnvelopeCount);
            // DropOldest keeps the newest: the last queued envelope is the turn's end.
            var kept = new List<CodexEnvelope>();
            while (stalled.Reader.TryRead(out var envelope))
            {
                kept.Add(envelope);
            }

            Assert.Equal("turn/completed", kept[^1].Method);
        }
    }

    [Fact]
    public async Task Outbound_requests_notifications_and_replies_are_in_the_stream_in_wire_order()
    {
        var observer = new RecordingMessageObserver
        {
            ServerRequestHandler = (_, _) => ValueTask.FromResult(RecordingMessageObserver.Reply("""{"decision":"decline"}""")),
        };
        var (peer, connection) = await ScriptedPeer.ConnectAsync(observer);
        await using (peer)
        await using (connection)
        {
            using var subscription = connection.Subscribe();
            var call = connection.RequestAsync("thread/list", JsonDocument.Parse("{}").RootElement);
            var request = await peer.ReadAsync();
            await peer.ReplyAsync(request, """{"id":0,"result":{"data":[]}}""");
            await call.WaitAsync(Deadline);
            await peer.WriteLineAsync("""{"id":9,"method":"item/commandExecution/requestApproval","params":{"threadId":"t","turnId":"u","itemId":"call-1"}}""");
            await peer.ReadLineAsync();
            await connection.NotifyAsync("client/ping");
            await peer.ReadLineAsync();

            var envelopes = await TakeAsync(subscription, 5);
            Assert.Equal(
                [
                    (CodexDirection.Outbound, CodexEnvelopeKind.Request, "thread/list"),
                    (CodexDirection.Inbound, CodexEnvelopeKind.Response, null),
                    (CodexDirection.Inbound, CodexEnvelopeKind.Request, "item/commandExecution/requestApproval"),
                    (CodexDirection.Outbound, CodexEnvelopeKind.Response, null),
                    (CodexDirection.Outbound, CodexEnvelopeKind.Notification, "client/ping"),
                ],
                envelopes.Select(e => (e.Direction, e.Kind, e.Method)));
            Assert.Equal(envelopes[0].Id, envelopes[1].Id);
            Assert.Equal("call-1", envelopes[2].ItemId);
            Assert.Equal("""{"id":9,"result":{"decision":"decline"}}""", Encoding.UTF8.GetString(envelopes[3].Json.Span));
            Assert.Contains("\"method\":\"thread/list\"", Encoding.UTF8.GetString(envelopes[0].Json.Span), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Routing_ids_come_from_nested_turn_and_item_objects_too()
    {
        var (peer, connection) = await ScriptedPeer.ConnectAsync(new RecordingMessageObserver());
        await using (peer)
        await using (connection)
        {
            using var subscription = connection.Subscribe();
            var recording = Recording.Load(Recording.Newest);
            await peer.WriteLineAsync(recording.First("turn/started"));
            await peer.WriteLineAsync(recording.First("item/completed"));
            var envelopes = await TakeAsync(subscription, 2);
            var started = JsonDocument.Parse(recording.First("turn/started")).RootElement.GetProperty("params");
            Assert.Equal(started.GetProperty("turn").GetProperty("id").GetString(), envelopes[0].TurnId);
            Assert.Equal(started.GetProperty("threadId").GetString(), envelopes[0].ThreadId);
            var item = JsonDocument.Parse(recording.First("item/completed")).RootElement.GetProperty("params").GetProperty("item");
            Assert.Equal(item.GetProperty("id").GetString(), envelopes[1].ItemId);
        }
    }

    [Fact]
    public async Task A_disconnect_subscriber_that_falls_behind_ends_with_an_overflow_error_after_what_it_holds()
    {
        var (peer, connection) = await ScriptedPeer.ConnectAsync(new RecordingMessageObserver());
        await using (peer)
        await using (connection)
        {
            using var strict = connection.Subscribe(new CodexSubscriptionOptions { Capacity = 3, Overflow = CodexSubscriptionOverflow.Disconnect });
            using var witness = connection.Subscribe();
            for (var i = 0; i < 5; i++)
            {
                await peer.WriteLineAsync("""{"method":"n","params":{"i":""" + i + "}}");
            }

            await TakeAsync(witness, 5);
            var read = new List<CodexEnvelope>();
            var error = await Assert.ThrowsAsync<CodexSubscriptionOverflowException>(async () =>
            {
                await foreach (var envelope in strict.ReadAllAsync())
                {
                    read.Add(envelope);
                }
            });
            Assert.Equal(3, read.Count);
            Assert.Equal(4, error.Sequence);
            Assert.Equal(1, strict.DroppedCount);
        }
    }

    [Fact]
    public async Task Subscriptions_end_when_the_connection_closes()
    {
        var (peer, connection) = await ScriptedPeer.ConnectAsync();
        var subscription = connection.Subscribe();
        await peer.CloseAsync();
        await connection.Completion.WaitAsync(Deadline);
        await subscription.Reader.Completion.WaitAsync(Deadline);
        await connection.DisposeAsync();
        Assert.True(connection.Subscribe().Reader.Completion.IsCompleted);
    }

    [Fact]
    public void A_message_no_subscriber_takes_costs_no_envelope_and_leaves_the_numbering_as_it_was()
    {
        var stream = new CodexEnvelopeStream(TimeProvider.System, CodexSubscriptionOverflowException.Create);
        using var inbound = stream.Subscribe(new CodexSubscriptionOptions { IncludeOutbound = false });
        var line = Encoding.UTF8.GetBytes(DeltaLine(0));
        stream.Publish(CodexDirection.Outbound, CodexEnvelopeKind.Notification, "turn/steer", null, default, line);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            stream.Publish(CodexDirection.Outbound, CodexEnvelopeKind.Notification, "turn/steer", null, default, line);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.False(stream.WantsOutbound);

        stream.Publish(CodexDirection.Local, CodexEnvelopeKind.Lifecycle, "codexRuntime/restarted", null, default, line);
        Assert.True(inbound.Reader.TryRead(out var restarted));
        // Every message was numbered, taken or not: the lifecycle event is the 1,002nd.
        Assert.Equal(1_002, restarted.Sequence);
        Assert.False(inbound.Reader.TryRead(out _));

        using var everything = stream.Subscribe(new CodexSubscriptionOptions());
        Assert.True(stream.WantsOutbound);
    }

    private static string DeltaLine(int i) =>
        "{\"method\":\"item/agentMessage/delta\",\"params\":{\"threadId\":\"t\",\"turnId\":\"u\",\"itemId\":\"m\",\"delta\":\"" + i + " \"}}";

    private static string Delta(CodexEnvelope envelope) =>
        JsonDocument.Parse(envelope.Json).RootElement.GetProperty("params").GetProperty("delta").GetString()!;

    private static async Task<List<CodexEnvelope>> TakeAsync(CodexEnvelopeSubscription subscription, int count)
    {
        var result = new List<CodexEnvelope>();
        using var deadline = new CancellationTokenSource(Deadline);
        while (result.Count < count)
        {
            result.Add(await subscription.Reader.ReadAsync(deadline.Token));
        }

        return result;
    }
}
