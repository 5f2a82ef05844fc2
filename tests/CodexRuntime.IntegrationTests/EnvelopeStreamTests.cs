using System.Text.Json;
using CodexRuntime.Events;
using CodexRuntime.IntegrationTests.Support;
using CodexRuntime.Testing;

namespace CodexRuntime.IntegrationTests;

/// <summary>The live envelope stream against the real binary: a 10,000-delta turn, two subscribers, one never reads.</summary>
public sealed class EnvelopeStreamTests
{
    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task A_reader_gets_all_10000_deltas_in_order_while_a_stalled_subscriber_stays_bounded(string version)
    {
        const int deltas = 10_000;
        var chunks = Enumerable.Range(0, deltas).Select(i => $"{i} ").ToArray();
        await using var codex = await RealCodex.StartAsync(version, script: FakeModelResponse.StreamedText(chunks));
        using var reader = codex.Connection.Subscribe(new CodexSubscriptionOptions { Capacity = 100_000, IncludeOutbound = false });
        using var stalled = codex.Connection.Subscribe(new CodexSubscriptionOptions { Capacity = 500 });

        var threadId = await codex.StartThreadAsync();
        var (turnId, _) = await codex.RunTurnAsync(threadId, "count to ten thousand");

        var received = new List<string>();
        using var deadline = new CancellationTokenSource(RealCodex.Deadline);
        await foreach (var envelope in reader.ReadAllAsync(deadline.Token))
        {
            if (envelope.Method == "item/agentMessage/delta")
            {
                Assert.Equal(turnId, envelope.TurnId);
                received.Add(JsonDocument.Parse(envelope.Json).RootElement.GetProperty("params").GetProperty("delta").GetString()!);
            }
            else if (envelope.Method == "turn/completed" && envelope.TurnId == turnId)
            {
                break;
            }
        }

        // Every delta, in order (codex may merge adjacent deltas, never reorder or drop text).
        Assert.Equal(string.Concat(chunks), string.Concat(received));
        Assert.Equal(0, reader.DroppedCount);
        Assert.True(stalled.Reader.Count <= 500, $"the stalled subscriber holds {stalled.Reader.Count} envelopes");
        Assert.True(stalled.DroppedCount >= deltas - 500, $"only {stalled.DroppedCount} drops were counted");
        Assert.Equal(stalled.DroppedCount, codex.Connection.DroppedEnvelopeCount);
    }
}
