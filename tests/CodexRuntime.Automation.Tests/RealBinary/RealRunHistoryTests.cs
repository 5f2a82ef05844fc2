using CodexRuntime.Automation.Tests.Support;
using CodexRuntime.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CodexRuntime.Automation.Tests.RealBinary;

/// <summary>
/// The run history across a restart on the real codex (floor and newest): one automation, two runs on one client,
/// the client and its codex process gone, the third run on a new client resuming the thread with the same store, and
/// the history read back by a new store holds all three with their turn and thread ids.
/// </summary>
[Collection(RealCodexCollection.Name)]
public sealed class RealRunHistoryTests
{
    [Theory]
    [MemberData(nameof(CodexVersions.Both), MemberType = typeof(CodexVersions))]
    public async Task Run_history_survives_a_restart_with_each_runs_turn_and_thread(string version)
    {
        await using var sandbox = await CodexSandbox.CreateAsync(version, "never",
            FakeModelResponse.Text("Check 1: green."),
            FakeModelResponse.Text("Check 2: green."),
            FakeModelResponse.Text("Check 3: green."));
        var (model, workspace) = (sandbox.Model, sandbox.Workspace);
        var stateFolder = Path.Combine(workspace.FullName, "state");
        // The schedule's clock is fake (an hour between runs in no time); codex runs on real time.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var spec = new AutomationSpec { Prompt = "Check the build and report in one line.", Every = TimeSpan.FromHours(1), MaxRuns = 3 };
        AutomationOptions Options() => new() { Name = "build-check", TimeProvider = clock, StateStore = new JsonFileAutomationStateStore(stateFolder) };
        CodexClient NewClient()
        {
            var config = sandbox.ClientConfig();
            config.DefaultProfile.Timeout = RealSession.Deadline;
            return new CodexClient(config);
        }

        var runs = new List<AutomationRun>();
        string threadId;
        await using (var client = NewClient())
        {
            var session = await client.StartSessionAsync(new SessionConfig(workspace.FullName)).WaitAsync(RealSession.Deadline);
            threadId = session.ThreadId;
            await using var automation = await CodexAutomation.StartAsync(session, spec, Options()).WaitAsync(RealSession.Deadline);
            runs.Add(await automation.WaitForRunAsync(1, RealSession.Deadline));
            clock.Advance(TimeSpan.FromHours(1));
            runs.Add(await automation.WaitForRunAsync(2, RealSession.Deadline));
            // The restart: the automation lets go as a crash would (disposing again at the block's end does nothing), then the client and its codex process go.
            await automation.DisposeAsync();
        }

        clock.Advance(TimeSpan.FromHours(1));
        await using (var client = NewClient())
        {
            var session = await client.ResumeSessionAsync(threadId, new SessionConfig(workspace.FullName)).WaitAsync(RealSession.Deadline);
            await using var automation = await CodexAutomation.StartAsync(session, spec, Options()).WaitAsync(RealSession.Deadline);
            runs.Add(await automation.WaitForRunAsync(1, RealSession.Deadline));
            Assert.Equal(AutomationState.Stopped, (await automation.EndedAsync(RealSession.Deadline)).State);
        }

        var history = await new JsonFileAutomationStateStore(stateFolder).ReadRunsAsync("build-check");

        Assert.Equal([3, 2, 1], history.Select(r => r.Number));
        Assert.All(history, r => Assert.Equal((AutomationRunOutcome.Completed, threadId, (string?)null), (r.Outcome, r.ThreadId, r.ErrorMessage)));
        Assert.All(history, r => Assert.False(string.IsNullOrEmpty(r.TurnId)));
        Assert.Equal(3, history.Select(r => r.TurnId).Distinct().Count());
        // Each record is the run's own turn, as codex named it in the run's result.
        Assert.Equal(runs.Select(r => r.Result!.TurnId).Reverse(), history.Select(r => r.TurnId));
        Assert.Equal(runs.Select(r => r.DueAt).Reverse(), history.Select(r => r.DueAt));
        Assert.Equal(3, model.ModelRequests.Count);
    }
}
