using System.Text.Json;
using CodexRuntime.Events;
using CodexRuntime.Tests.Support;

namespace CodexRuntime.Tests.Events;

/// <summary>Event sinks: the JSONL file sink writes every envelope; a slow or failing sink never holds up the runtime.</summary>
public sealed class EventSinkTests
{
    [Fact]
    public async Task The_jsonl_sink_writes_every_envelope_with_its_metadata_and_the_exact_message()
    {
        var path = Path.Combine(Path.GetTempPath(), $"codex-sink-{Guid.NewGuid():N}", "events.jsonl");
        try
        {
            var scripted = await ScriptedRuntime.StartAsync(o => o.EventSinks.Add(new JsonlFileEventSink(path, flushEvery: 3)));
            await using (scripted)
            {
                var call = scripted.Runtime.AppServer.SendRawRequestAsync("model/list");
                await scripted.AnswerNextAsync("""{"data":[]}""");
                await call;
                await scripted.Peer.WriteLineAsync("""{"method":"item/agentMessage/delta","params":{"threadId":"t","turnId":"u","itemId":"i","delta":"hi"}}""");
                await CodexRuntimeHostTests.WaitUntilAsync(() => scripted.Runtime.MetricsSnapshot().InboundMessages == 2);
            }

            var lines = File.ReadAllLines(path).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            Assert.Equal(
                ["initialize", null, "initialized", "codexRuntime/started", "model/list", null, "item/agentMessage/delta", "codexRuntime/stopped"],
                lines.Select(l => l.GetProperty("method").GetString()));
            Assert.Equal(Enumerable.Range(1, lines.Count).Select(i => (long)i), lines.Select(l => l.GetProperty("sequence").GetInt64()));
            var delta = lines[6];
            Assert.Equal("local", lines[3].GetProperty("direction").GetString());
            Assert.Equal("lifecycle", lines[3].GetProperty("kind").GetString());
            Assert.Equal("inbound", delta.GetProperty("direction").GetString());
            Assert.Equal("notification", delta.GetProperty("kind").GetString());
            Assert.Equal("i", delta.GetProperty("itemId").GetString());
            Assert.Equal("hi", delta.GetProperty("message").GetProperty("params").GetProperty("delta").GetString());
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public async Task A_stuck_sink_drops_what_overflows_its_queue_and_a_throwing_sink_is_counted_while_calls_go_on()
    {
        var stuck = new StuckSink();
        await using var scripted = await ScriptedRuntime.StartAsync(o =>
        {
            o.EventSinkCapacity = 5;
            o.EventSinkDrainTimeout = TimeSpan.FromMilliseconds(100);
            o.EventSinks.Add(stuck);
            o.EventSinks.Add(new ThrowingSink());
        });

        for (var i = 0; i < 20; i++)
        {
            await scripted.Peer.WriteLineAsync("""{"method":"warning","params":{"message":"m"}}""");
        }

        var call = scripted.Runtime.AppServer.SendRawRequestAsync("model/list");
        await scripted.AnswerNextAsync("""{"data":[]}""");
        await call.WaitAsync(TimeSpan.FromSeconds(10));

        var metrics = scripted.Runtime.MetricsSnapshot();
        // The depth is summed over both sinks (capacity 5 each); the throwing sink may not have drained its queue yet.
        Assert.True(metrics.SinkQueueDepth <= 10, $"queue depth {metrics.SinkQueueDepth}");
        Assert.True(metrics.SinkDrops >= 40, $"only {metrics.SinkDrops} drops counted");
        await scripted.Runtime.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(stuck.Disposed);
    }

    private sealed class StuckSink : IEventSink
    {
        public bool Disposed { get; private set; }

        public async ValueTask WriteAsync(CodexEnvelope envelope, CancellationToken cancellationToken) => await Task.Delay(Timeout.Infinite, cancellationToken);

        public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }

    private sealed class ThrowingSink : IEventSink
    {
        public ValueTask WriteAsync(CodexEnvelope envelope, CancellationToken cancellationToken) => throw new IOException("disk full");

        public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
