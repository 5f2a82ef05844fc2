using System.Diagnostics;
using System.Text.RegularExpressions;
using CodexRuntime.Automation.Tests.Support;
using CodexRuntime.Events;
using CodexRuntime.Protocol;
using CodexRuntime.Testing;

namespace CodexRuntime.Automation.Tests.RealBinary;

/// <summary>Automations on the real codex binary (floor and newest), offline against FakeModelServer, on the system clock.</summary>
[Collection(RealCodexCollection.Name)]
public sealed class RealAutomationTests
{
    private const string Prompt = "Check the build and report in one line.";

    [Theory]
    [MemberData(nameof(CodexVersions.Both), MemberType = typeof(CodexVersions))]
    public async Task Every_second_three_runs_are_three_model_requests_on_one_thread_each_carrying_the_earlier_ones(string version)
    {
        await using var codex = await RealSession.StartAsync(version,
            FakeModelResponse.Text("First check: green."),
            FakeModelResponse.Text("Second check: green."),
            FakeModelResponse.Text("Third check: green."));

        await using var automation = await CodexAutomation.StartAsync(codex.Session, new AutomationSpec { Prompt = Prompt, Every = TimeSpan.FromSeconds(1), MaxRuns = 3 });
        var runs = await automation.WaitForRunsAsync(3, RealSession.Deadline);
        var status = await automation.EndedAsync(RealSession.Deadline);

        Assert.Equal(AutomationState.Stopped, status.State);
        Assert.Equal(3, status.RunsCompleted);
        Assert.Equal(["First check: green.", "Second check: green.", "Third check: green."], runs.Select(r => r.Result?.Text));
        Assert.All(runs, run => Assert.Equal(codex.Session.ThreadId, run.Result?.ThreadId));
        Assert.Equal(3, runs.Select(r => r.Result?.TurnId).Distinct().Count());
        // On the 1 s grid anchored at the first run (a slow run would skip a tick, never shift the grid).
        Assert.All(runs, run => Assert.Equal(0, (run.DueAt - runs[0].DueAt).Ticks % TimeSpan.TicksPerSecond));
        Assert.True(runs[1].DueAt > runs[0].DueAt && runs[2].DueAt > runs[1].DueAt);

        var requests = codex.Model.ModelRequests;
        Assert.Equal(3, requests.Count);
        Assert.Equal(0, codex.Model.UnscriptedRequestCount);
        Assert.Equal(1, Occurrences(requests[0].Body, Prompt));
        // The third request is the same conversation: the first two prompts and answers, then the third prompt.
        Assert.Equal(3, Occurrences(requests[2].Body, Prompt));
        Assert.Contains("First check: green.", requests[2].Body, StringComparison.Ordinal);
        Assert.Contains("Second check: green.", requests[2].Body, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(CodexVersions.Both), MemberType = typeof(CodexVersions))]
    public async Task Stop_during_a_slowly_streamed_turn_sends_turn_interrupt_and_stops_within_a_second(string version)
    {
        // 30 s of streaming unless the interrupt cuts it: a stop that waited for the answer could not pass.
        await using var codex = await RealSession.StartAsync(version,
            FakeModelResponse.StreamedText(Enumerable.Range(0, 150).Select(i => $"word{i} "), TimeSpan.FromMilliseconds(200)));
        await using var automation = await codex.Session.StartAutomationAsync(new AutomationSpec { Prompt = "Tell me a long story.", Every = TimeSpan.FromMinutes(10) });
        var seen = new List<CodexEnvelope>();
        var delta = await codex.WaitForEnvelopeAsync(e => e.Direction == CodexDirection.Inbound && e.Method == "item/agentMessage/delta", seen);
        Assert.Equal(AutomationState.Running, automation.Status.State);

        var clock = Stopwatch.StartNew();
        await automation.StopAsync().WaitAsync(RealSession.Deadline);
        var stopTook = clock.Elapsed;

        codex.Drain(seen);
        var interrupt = Assert.Single(seen, e => e.Direction == CodexDirection.Outbound && e.Method == "turn/interrupt");
        Assert.Contains($"\"{delta.TurnId}\"", System.Text.Encoding.UTF8.GetString(interrupt.Json.Span), StringComparison.Ordinal);
        var run = await automation.WaitForRunAsync(1);
        var interrupted = Assert.IsType<CodexRunInterruptedException>(run.Error);
        Assert.Equal(TurnStatus.Interrupted, interrupted.PartialResult?.Status);
        Assert.Equal(TurnStatus.Interrupted, codex.Client.Runtime.State.FindTurn(delta.TurnId!)?.Status);
        Assert.DoesNotContain("word149", interrupted.PartialResult?.Text, StringComparison.Ordinal);
        Assert.Equal(AutomationState.Stopped, automation.Status.State);
        Assert.Equal(0, automation.Status.RunsCompleted);
        Assert.True(stopTook < TimeSpan.FromSeconds(1), $"StopAsync took {stopTook.TotalMilliseconds:0} ms (turn/interrupt to the automation Stopped).");
        Console.WriteLine($"codex {version}: StopAsync during a streamed turn took {stopTook.TotalMilliseconds:0} ms");
    }

    private static int Occurrences(string text, string value) => Regex.Matches(text, Regex.Escape(value)).Count;
}
