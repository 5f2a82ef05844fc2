using System.Diagnostics;
using CodexRuntime.IntegrationTests.Support;
using CodexRuntime.Protocol;
using CodexRuntime.Testing;

namespace CodexRuntime.IntegrationTests;

/// <summary>Controlling a running turn on the real binary: interrupt, run timeout, steer.</summary>
public sealed class TurnControlTests
{
    /// <summary>An answer that takes about six seconds to stream: long enough to act on it mid-way.</summary>
    private static FakeModelResponse SlowAnswer() =>
        FakeModelResponse.StreamedText(Enumerable.Range(0, 60).Select(i => $"word{i} "), TimeSpan.FromMilliseconds(100));

    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task Interrupt_during_a_slow_answer_ends_the_turn_as_interrupted_within_a_second(string version)
    {
        await using var codex = await RealClient.CreateAsync(version, "never", null, SlowAnswer());
        await using var session = await codex.Client.StartSessionAsync(codex.Session());
        await using var turn = await session.AskStreamingAsync("Tell me a long story.");
        var busy = await Assert.ThrowsAsync<CodexTurnInProgressException>(() => session.AskAsync("A second question at the same time."));
        Assert.Contains("SteerAsync", busy.Message, StringComparison.Ordinal);

        Stopwatch? sinceInterrupt = null;
        TurnCompletedEvent? completed = null;
        var deltasBefore = 0;
        using var deadline = new CancellationTokenSource(RealClient.Deadline);
        await foreach (var e in turn.WithCancellation(deadline.Token))
        {
            if (e is MessageDeltaEvent && sinceInterrupt is null)
            {
                deltasBefore++;
                sinceInterrupt = Stopwatch.StartNew();
                await session.InterruptAsync();
            }
            else if (e is TurnCompletedEvent done)
            {
                sinceInterrupt?.Stop();
                completed = done;
            }
        }

        Assert.NotNull(sinceInterrupt);
        Assert.NotNull(completed);
        Assert.Equal(TurnStatus.Interrupted, completed.Result.Status);
        Assert.True(sinceInterrupt.Elapsed < TimeSpan.FromSeconds(1), $"The turn ended {sinceInterrupt.Elapsed.TotalMilliseconds:0} ms after the interrupt.");
        Assert.DoesNotContain("word59", completed.Result.Text, StringComparison.Ordinal);
        await Assert.ThrowsAsync<CodexRunInterruptedException>(() => turn.GetResultAsync());
        Assert.Null(session.ActiveTurn);
    }

    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task Run_timeout_interrupts_the_turn_and_throws_the_timeout_error(string version)
    {
        await using var codex = await RealClient.CreateAsync(version, "never", null, SlowAnswer(), FakeModelResponse.Text("next"));
        var profile = new RunProfile { Timeout = TimeSpan.FromSeconds(1) };
        await using var session = await codex.Client.StartSessionAsync(codex.Session(profile));

        var error = await Assert.ThrowsAsync<CodexRunTimeoutException>(() => session.AskAsync("Tell me a long story."));

        Assert.True(error.Interrupted);
        Assert.Equal(TimeSpan.FromSeconds(1), error.Timeout);
        Assert.Equal(TurnStatus.Interrupted, error.PartialResult?.Status);
        Assert.Equal(TurnStatus.Interrupted, codex.Client.Runtime.State.FindTurn(error.TurnId!)?.Status);
        Assert.Contains(codex.Envelopes(), e => e.Direction == CodexRuntime.Events.CodexDirection.Outbound && e.Method == "turn/interrupt");
        // The session is free again: the next ask runs (the session owns a copy of the profile; change that one).
        session.Profile.Timeout = TimeSpan.FromSeconds(60);
        Assert.Equal("next", (await session.AskAsync("Short one.")).Text);
    }

    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task Steer_adds_input_to_the_running_turn(string version)
    {
        await using var codex = await RealClient.CreateAsync(version, "never", null,
            FakeModelResponse.StreamedText(Enumerable.Range(0, 15).Select(i => $"part{i} "), TimeSpan.FromMilliseconds(100)),
            FakeModelResponse.Text("Steered: zebra noted."));
        await using var session = await codex.Client.StartSessionAsync(codex.Session());
        await using var turn = await session.AskStreamingAsync("Describe animals.");

        var steered = false;
        using var deadline = new CancellationTokenSource(RealClient.Deadline);
        await foreach (var e in turn.WithCancellation(deadline.Token))
        {
            if (e is MessageDeltaEvent && !steered)
            {
                steered = true;
                await turn.SteerAsync("Also mention the steering-word zebra.");
            }
        }

        var result = await turn.GetResultAsync();
        Assert.Equal(TurnStatus.Completed, result.Status);
        Assert.EndsWith("Steered: zebra noted.", result.Text, StringComparison.Ordinal);
        Assert.Equal(2, codex.Model.ModelRequests.Count);
        Assert.DoesNotContain("steering-word zebra", codex.Model.ModelRequests[0].Body, StringComparison.Ordinal);
        Assert.Contains("steering-word zebra", codex.Model.ModelRequests[1].Body, StringComparison.Ordinal);
        Assert.Single(codex.Client.Runtime.State.FindThread(session.ThreadId)!.Turns);
    }

    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task Leaving_the_event_stream_mid_turn_interrupts_the_turn(string version)
    {
        await using var codex = await RealClient.CreateAsync(version, "never", null, SlowAnswer(), FakeModelResponse.Text("after"));
        await using var session = await codex.Client.StartSessionAsync(codex.Session());
        var turn = await session.AskStreamingAsync("Tell me a long story.");

        using var deadline = new CancellationTokenSource(RealClient.Deadline);
        await foreach (var e in turn.WithCancellation(deadline.Token))
        {
            if (e is MessageDeltaEvent)
            {
                break;
            }
        }

        Assert.True(turn.IsCompleted);
        Assert.Equal(TurnStatus.Interrupted, codex.Client.Runtime.State.FindTurn(turn.TurnId)?.Status);
        Assert.Throws<InvalidOperationException>(() => turn.GetAsyncEnumerator());
        Assert.Null(session.ActiveTurn);
        Assert.Equal("after", (await session.AskAsync("Next.")).Text);
    }
}
