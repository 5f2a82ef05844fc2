using System.Buffers;
using System.Text;
using CodexRuntime.Rpc;

namespace CodexRuntime.Tests.Sessions;

public sealed class TurnEventQueueTests
{
    private const string Thread = "01a20bc5-4efd-7e82-8e7e-f5b1687970db";
    private const string TurnId = "01a20bc5-4f57-7352-8d34-24cd657625c0";

    [Fact]
    public void A_stalled_reader_keeps_a_bounded_queue_counts_exactly_what_it_missed_and_still_sees_the_turn_end()
    {
        var queue = new TurnEventQueue(streamEvents: true);
        const int sent = 200_000;
        for (var i = 0; i < sent; i++)
        {
            queue.Deliver(Message($$$$"""{"method":"item/agentMessage/delta","params":{"threadId":"{{{{Thread}}}}","turnId":"{{{{TurnId}}}}","itemId":"msg-1","delta":"{{{{i}}}}"}}"""));
        }

        queue.Deliver(Message($$$$"""{"method":"item/completed","params":{"threadId":"{{{{Thread}}}}","turnId":"{{{{TurnId}}}}","item":{"type":"agentMessage","id":"msg-1","text":"x"}}}"""));
        queue.Deliver(Message($$$$"""{"method":"turn/completed","params":{"threadId":"{{{{Thread}}}}","turn":{"id":"{{{{TurnId}}}}","items":[],"status":"completed"}}}"""));

        Assert.Equal(sent - TurnEventQueue.DeltaCapacity, queue.Lost);
        var deltas = 0;
        var methods = new List<string>();
        while (queue.TryRead(out var entry))
        {
            if (entry.IsDelta)
            {
                // The queued deltas are the first ones, in order: what was dropped is the tail the reader missed.
                Assert.Equal(deltas.ToString(System.Globalization.CultureInfo.InvariantCulture), entry.Message!.DeltaText());
                deltas++;
            }
            else
            {
                methods.Add(entry.Message!.Method);
            }
        }

        Assert.Equal(TurnEventQueue.DeltaCapacity, deltas);
        Assert.Equal(["item/completed", "turn/completed"], methods);
    }

    [Fact]
    public void A_reader_that_keeps_up_loses_nothing_and_room_frees_as_it_reads()
    {
        var queue = new TurnEventQueue(streamEvents: true);
        for (var i = 0; i < TurnEventQueue.DeltaCapacity * 3; i++)
        {
            queue.Deliver(Message($$$$"""{"method":"item/agentMessage/delta","params":{"threadId":"{{{{Thread}}}}","turnId":"{{{{TurnId}}}}","itemId":"msg-1","delta":"a\n{{{{i}}}}"}}"""));
            Assert.True(queue.TryRead(out var entry));
            Assert.Equal($"a\n{i}", entry.Message!.DeltaText());
        }

        Assert.Equal(0, queue.Lost);
    }

    [Fact]
    public void The_tool_hook_queue_takes_completed_items_and_the_turn_end_only()
    {
        var queue = new TurnEventQueue(streamEvents: false);
        queue.Deliver(Message($$$$"""{"method":"item/agentMessage/delta","params":{"threadId":"{{{{Thread}}}}","turnId":"{{{{TurnId}}}}","itemId":"msg-1","delta":"a"}}"""));
        queue.Deliver(Message($$$$"""{"method":"item/started","params":{"threadId":"{{{{Thread}}}}","turnId":"{{{{TurnId}}}}","item":{"type":"agentMessage","id":"msg-1","text":""}}}"""));
        queue.Deliver(Message($$$$"""{"method":"turn/completed","params":{"threadId":"{{{{Thread}}}}","turn":{"id":"{{{{TurnId}}}}","items":[],"status":"completed"}}}"""));

        Assert.True(queue.TryRead(out var only));
        Assert.Equal("turn/completed", only.Message!.Method);
        Assert.False(queue.TryRead(out _));
        Assert.Equal(0, queue.Lost);
    }

    private static CodexInboundMessage Message(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        InboundLineClassifier.Classify(new ReadOnlySequence<byte>(bytes), null, out var method, out _, out var ids, out _);
        return new CodexInboundMessage(1, DateTimeOffset.UnixEpoch, CodexMessageKind.Notification, method!, null, bytes, ids);
    }
}
