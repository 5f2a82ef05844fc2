using System.Diagnostics;
using CodexRuntime.Events;
using CodexRuntime.IntegrationTests.Support;
using CodexRuntime.Testing;
using CodexRuntime.Transport;

namespace CodexRuntime.IntegrationTests.Transport;

/// <summary>
/// Start-and-attach keeps the stdio transport's supervision: a listener killed with SIGKILL (its socket left behind)
/// is started again per the restart policy, and the client works on the new one; disposing reaps it.
/// </summary>
public sealed class ListenerSupervisionTests
{
    [Theory]
    [MemberData(nameof(SocketTransportTests.Kinds), MemberType = typeof(SocketTransportTests))]
    public async Task A_killed_listener_is_restarted_and_reaped_on_dispose(string kind)
    {
        var endpoint = SocketEndpoints.Create(kind);
        await using var sandbox = await CodexSandbox.CreateAsync(CodexInstallations.Newest, "never",
            [FakeModelResponse.Text("before the crash"), FakeModelResponse.Text("after the restart")]);
        int secondProcess;
        await using (var codex = RealClient.Create(sandbox, config =>
        {
            config.Runtime.Process.Listen = endpoint;
            config.Runtime.Process.WebSocketToken = kind == "ws" ? "supervised" : null;
            config.Runtime.RestartPolicy = CodexRestartPolicy.OnCrash(maxRestarts: 2, backoff: TimeSpan.FromMilliseconds(200));
        }))
        {
            using var lifecycle = codex.Client.Runtime.Subscribe(new CodexSubscriptionOptions { IncludeOutbound = false, Filter = e => e.Method == "codexRuntime/restarted" });
            await using (var session = await codex.Client.StartSessionAsync(codex.Session()))
            {
                Assert.Equal("before the crash", (await session.AskAsync("one")).Text);
            }

            var firstProcess = codex.Client.ProcessId!.Value;
            Process.GetProcessById(firstProcess).Kill();
            using (var deadline = new CancellationTokenSource(RealClient.Deadline))
            {
                await lifecycle.Reader.ReadAsync(deadline.Token);
            }

            secondProcess = codex.Client.ProcessId!.Value;
            Assert.NotEqual(firstProcess, secondProcess);
            await using var again = await codex.Client.StartSessionAsync(codex.Session());
            Assert.Equal("after the restart", (await again.AskAsync("two")).Text);
        }

        Assert.False(ProcessTree.IsRunning(secondProcess), $"codex {secondProcess} outlived its client.");
    }
}
