using System.Text.Json;
using CodexRuntime.Events;
using CodexRuntime.IntegrationTests.Support;
using CodexRuntime.Testing;

namespace CodexRuntime.IntegrationTests;

/// <summary>
/// The runtime's live envelope stream against the real binary: a 10,000-delta turn, two subscribers (one never reads)
/// and a JSONL sink. The reader gets everything in order, the stalled subscriber stays bounded and its losses are
/// counted in the metrics, the sink writes every envelope, and the state projection holds the whole text.
/// </summary>
public sealed class EnvelopeStreamTests
{
    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task A_reader_gets_all_10000_deltas_in_order_while_a_stalled_subscriber_stays_bounded(string version)
    {
        const int deltas = 10_000;
        var chunks = Enumerable.Range(0, deltas).Select(i => $"{i} ").ToArray();
        var log = Path.Combine(Path.GetTempPath(), $"codex-envelopes-{Guid.NewGuid():N}.jsonl");
        try
        {
            await using var codex = await RealRuntime.StartAsync(version, "never", options => options.EventSinks.Add(new JsonlFileEventSink(log, flushEvery: 100)), FakeModelResponse.StreamedText(chunks));
            using var reader = codex.Runtime.Subscribe(new CodexSubscriptionOptions { Capacity = 100_000, IncludeOutbound = false });
            using var stalled = codex.Runtime.Subscribe(new CodexSubscriptionOptions { Capacity = 500 });

            var threadId = await codex.StartThreadAsync();
            var turn = await codex.RunTurnAsync(threadId, "count to ten thousand");

            var received = new List<string>();
            var lastSequence = 0L;
            using var deadline = new CancellationTokenSource(RealRuntime.Deadline);
            await foreach (var envelope in reader.ReadAllAsync(deadline.Token))
            {
                Assert.True(envelope.Sequence > lastSequence, "sequence numbers must increase");
                lastSequence = envelope.Sequence;
                if (envelope.Method == "item/agentMessage/delta")
                {
                    Assert.Equal(turn.Id, envelope.TurnId);
                    received.Add(JsonDocument.Parse(envelope.Json).RootElement.GetProperty("params").GetProperty("delta").GetString()!);
                }
                else if (envelope.Method == "turn/completed" && envelope.TurnId == turn.Id)
                {
                    break;
                }
            }

            // Every delta, in order (codex may merge adjacent deltas, never reorder or drop text).
            Assert.Equal(string.Concat(chunks), string.Concat(received));
            Assert.Equal(0, reader.DroppedCount);
            Assert.True(stalled.Reader.Count <= 500, $"the stalled subscriber holds {stalled.Reader.Count} envelopes");
            Assert.True(stalled.DroppedCount >= deltas - 500, $"only {stalled.DroppedCount} drops were counted");
            Assert.Equal(stalled.DroppedCount, codex.Runtime.MetricsSnapshot().DroppedEvents);
            Assert.Equal(string.Concat(chunks), turn.AgentText);
            Assert.False(Assert.Single(turn.Items, i => i.Type == "agentMessage").Text.IsTruncated);

            await codex.Runtime.StopAsync();
            var sunk = File.ReadLines(log).Select(line => JsonDocument.Parse(line).RootElement).ToList();
            Assert.Equal(received.Count, sunk.Count(e => e.GetProperty("method").GetString() == "item/agentMessage/delta"));
            Assert.Equal("codexRuntime/stopped", sunk[^1].GetProperty("method").GetString());
            Assert.Equal(0, codex.Runtime.MetricsSnapshot().SinkDrops);
        }
        finally
        {
            File.Delete(log);
        }
    }
}
