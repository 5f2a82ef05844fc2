using CodexRuntime.Automation;
using CodexRuntime.Automation.Tests.Support;
using CodexRuntime.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CodexRuntime.Automation.Tests.RealBinary;

/// <summary>
/// The hosted form across a host restart on the real codex: the second host (a new codex process, the same
/// CODEX_HOME and state store) resumes the thread the store kept, so its run is the same conversation.
/// </summary>
[Collection(RealCodexCollection.Name)]
public sealed class HostedRestartTests
{
    [Theory]
    [MemberData(nameof(CodexVersions.Both), MemberType = typeof(CodexVersions))]
    public async Task A_restarted_host_resumes_the_stored_thread_and_its_next_run_carries_the_first(string version)
    {
        await using var sandbox = await CodexSandbox.CreateAsync(version, "never",
            FakeModelResponse.Text("Noted: the code word is heron."),
            FakeModelResponse.Text("Still heron."));
        var (model, workspace) = (sandbox.Model, sandbox.Workspace);
        // The schedule's clock is fake (an hour passes between the hosts in no time); codex runs on real time.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var spec = new AutomationSpec { Prompt = "Remember the code word, then repeat it.", Every = TimeSpan.FromHours(1), MaxRuns = 2 };
        IHost Build()
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders();
            builder.Services
                .AddCodexRuntime(o => o.Runtime.Process = sandbox.ProcessOptions())
                .AddAutomation("heron", spec, o =>
                {
                    o.Session = new SessionConfig(workspace.FullName);
                    o.StateStore = new JsonFileAutomationStateStore(Path.Combine(workspace.FullName, "state"));
                    o.TimeProvider = clock;
                });
            return builder.Build();
        }

        string threadId;
        int firstProcess;
        using (var host = Build())
        {
            await host.StartAsync().WaitAsync(RealSession.Deadline);
            var handle = await host.Services.GetRequiredService<CodexAutomations>().WaitForHandleAsync("heron").WaitAsync(RealSession.Deadline);
            var first = await handle.WaitForRunAsync(1, RealSession.Deadline);
            Assert.Equal("Noted: the code word is heron.", first.Result?.Text);
            threadId = first.Result!.ThreadId;
            firstProcess = host.Services.GetRequiredService<CodexClient>().ProcessId!.Value;
            await host.StopAsync().WaitAsync(RealSession.Deadline);
        }

        clock.Advance(TimeSpan.FromHours(1));
        using (var host = Build())
        {
            await host.StartAsync().WaitAsync(RealSession.Deadline);
            var automations = host.Services.GetRequiredService<CodexAutomations>();
            var handle = await automations.WaitForHandleAsync("heron").WaitAsync(RealSession.Deadline);
            var second = await handle.WaitForRunAsync(1, RealSession.Deadline);
            var status = await handle.EndedAsync(RealSession.Deadline);

            Assert.NotEqual(firstProcess, host.Services.GetRequiredService<CodexClient>().ProcessId);
            Assert.Equal(threadId, second.Result?.ThreadId);
            Assert.Equal(2, second.Number);
            Assert.Equal((AutomationState.Stopped, 2, threadId), (status.State, status.RunsCompleted, status.ThreadId));
            Assert.Equal(2, model.ModelRequests.Count);
            // The same conversation on the new process: the first exchange went to the model with the second prompt.
            Assert.Contains("Noted: the code word is heron.", model.ModelRequests[1].Body, StringComparison.Ordinal);
            await host.StopAsync().WaitAsync(RealSession.Deadline);
        }
    }
}
