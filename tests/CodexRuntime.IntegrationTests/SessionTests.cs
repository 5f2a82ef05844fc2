using CodexRuntime.IntegrationTests.Support;
using CodexRuntime.Protocol;
using CodexRuntime.Sessions;
using CodexRuntime.Testing;

namespace CodexRuntime.IntegrationTests;

/// <summary>Sessions on the real binary: memory across asks, resume on a new process, fork.</summary>
public sealed class SessionTests
{
    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task Second_ask_sends_the_first_exchange_to_the_model(string version)
    {
        await using var codex = await RealClient.CreateAsync(version, "never", null,
            FakeModelResponse.Text("The capital of France is Paris."),
            FakeModelResponse.Text("Its population is about two million."));
        await using var session = await codex.Client.StartSessionAsync(codex.Session());

        var first = await session.AskAsync("What is the capital of France?");
        var second = await session.AskAsync("How many people live there?");

        Assert.Equal("The capital of France is Paris.", first.Text);
        Assert.Equal("Its population is about two million.", second.Text);
        Assert.Equal(first.ThreadId, second.ThreadId);
        Assert.NotEqual(first.TurnId, second.TurnId);
        Assert.Equal(TurnStatus.Completed, second.Status);
        var secondRequest = codex.Model.ModelRequests[1].Body;
        Assert.Contains("What is the capital of France?", secondRequest, StringComparison.Ordinal);
        Assert.Contains("The capital of France is Paris.", secondRequest, StringComparison.Ordinal);
        Assert.Contains("How many people live there?", secondRequest, StringComparison.Ordinal);
        Assert.DoesNotContain("How many people live there?", codex.Model.ModelRequests[0].Body, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task Resume_on_a_new_process_continues_the_thread_and_fork_copies_the_history(string version)
    {
        await using var sandbox = await CodexSandbox.CreateAsync(version, "never",
        [
            FakeModelResponse.Text("Noted: the secret word is pelican."),
            FakeModelResponse.Text("The secret word was pelican."),
            FakeModelResponse.Text("From the fork: pelican."),
        ]);

        string threadId;
        int firstProcess;
        await using (var first = RealClient.Create(sandbox))
        {
            await using var session = await first.Client.StartSessionAsync(first.Session());
            await session.AskAsync("Remember the secret word pelican.");
            threadId = session.ThreadId;
            firstProcess = first.Client.ProcessId!.Value;
        }

        Assert.False(ProcessProbe.IsRunning(firstProcess));
        await using var second = RealClient.Create(sandbox);
        await using var resumed = await second.Client.ResumeSessionAsync(threadId, second.Session());
        var answer = await resumed.AskAsync("What was the secret word?");

        Assert.NotEqual(firstProcess, second.Client.ProcessId);
        Assert.Equal(threadId, resumed.ThreadId);
        Assert.Equal(threadId, answer.ThreadId);
        Assert.Equal("The secret word was pelican.", answer.Text);
        var resumedRequest = sandbox.Model.ModelRequests[1].Body;
        Assert.Contains("Remember the secret word pelican.", resumedRequest, StringComparison.Ordinal);
        Assert.Contains("Noted: the secret word is pelican.", resumedRequest, StringComparison.Ordinal);

        await using var fork = await second.Client.ForkSessionAsync(threadId, second.Session());
        var forked = await fork.AskAsync("Repeat it from the fork.");

        Assert.NotEqual(threadId, fork.ThreadId);
        Assert.Equal(fork.ThreadId, forked.ThreadId);
        Assert.Equal("From the fork: pelican.", forked.Text);
        var forkRequest = sandbox.Model.ModelRequests[2].Body;
        Assert.Contains("Remember the secret word pelican.", forkRequest, StringComparison.Ordinal);
        Assert.Contains("The secret word was pelican.", forkRequest, StringComparison.Ordinal);
        Assert.Contains("Repeat it from the fork.", forkRequest, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task Close_archives_once_and_later_calls_fail_clearly(string version)
    {
        await using var codex = await RealClient.CreateAsync(version, "never", null, FakeModelResponse.Text("hi"));
        var session = await codex.Client.StartSessionAsync(codex.Session());
        await session.AskAsync("hello");

        await session.CloseAsync();
        await session.CloseAsync();

        Assert.True(session.IsClosed);
        var error = await Assert.ThrowsAsync<CodexRuntime.Errors.CodexSessionClosedException>(() => session.AskAsync("again"));
        Assert.Contains("CloseAsync archived its thread", error.Message, StringComparison.Ordinal);
        Assert.Single(codex.Envelopes(), e => e.Direction == CodexRuntime.Events.CodexDirection.Outbound && e.Method == "thread/archive");
        Assert.Empty(codex.Client.Sessions);
    }
}
