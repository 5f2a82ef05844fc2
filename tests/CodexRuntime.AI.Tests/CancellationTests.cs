using CodexRuntime.AI.Tests.Support;
using CodexRuntime.Events;
using CodexRuntime.Testing;
using CodexRuntime.Tests.Shared;
using Microsoft.Extensions.AI;

namespace CodexRuntime.AI.Tests;

/// <summary>Must show 5: cancelling a streaming call interrupts the codex turn, and the thread takes the next turn.</summary>
public sealed class CancellationTests
{
    [Theory]
    [MemberData(nameof(CodexVersions.Both), MemberType = typeof(CodexVersions))]
    public async Task Cancelling_mid_stream_sends_turn_interrupt_within_a_second_and_the_thread_goes_on(string version)
    {
        // 200 words, one every 100 ms: 20 s of streaming unless the turn is interrupted.
        await using var codex = await AiCodex.CreateAsync(version, "never", null, null,
            FakeModelResponse.StreamedText(Enumerable.Range(0, 200).Select(i => $"word{i} "), TimeSpan.FromMilliseconds(100)),
            FakeModelResponse.Text("second answer"));
        using var cancel = new CancellationTokenSource(AiCodex.Deadline);
        string? threadId = null;
        var cancelledAt = DateTimeOffset.MinValue;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in codex.Chat.GetStreamingResponseAsync("talk for a long time", cancellationToken: cancel.Token))
            {
                threadId ??= update.ConversationId;
                if (update.Text.Length > 0 && cancelledAt == DateTimeOffset.MinValue)
                {
                    cancelledAt = DateTimeOffset.UtcNow;
                    await cancel.CancelAsync();
                }
            }
        });

        var sent = new List<CodexEnvelope>();
        while (codex.Audit.Reader.TryRead(out var envelope))
        {
            sent.Add(envelope);
        }

        var interrupt = Assert.Single(sent, e => e.Direction == CodexDirection.Outbound && e.Method == "turn/interrupt");
        Assert.True(interrupt.Timestamp - cancelledAt < TimeSpan.FromSeconds(1), $"turn/interrupt went out {(interrupt.Timestamp - cancelledAt).TotalMilliseconds:0} ms after the cancellation.");

        using var deadline = new CancellationTokenSource(AiCodex.Deadline);
        var next = await codex.Chat.GetResponseAsync("and now?", new ChatOptions { ConversationId = threadId }, deadline.Token);
        Assert.Equal("second answer", next.Text);
        Assert.Equal(threadId, next.ConversationId);
        Assert.Equal(2, codex.Model.ModelRequests.Count);
    }
}
