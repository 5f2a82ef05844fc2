using System.Diagnostics;
using CodexRuntime.Events;
using CodexRuntime.IntegrationTests.Support;
using CodexRuntime.Testing;

namespace CodexRuntime.IntegrationTests;

/// <summary>
/// After a supervised restart of the real codex, open sessions are resumed on the new process: a session with history
/// keeps its thread (the next model request carries the earlier exchange), a session that never ran a turn is
/// recreated; callers get <see cref="CodexSession.Recovered"/> and a <c>codexSession/recovered</c> envelope.
/// </summary>
public sealed class SessionRecoveryTests
{
    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task Open_sessions_are_resumed_after_codex_is_killed_and_restarted(string version)
    {
        await using var codex = await RealClient.CreateAsync(version, "never",
            config => config.Runtime.RestartPolicy = CodexRestartPolicy.OnCrash(2, TimeSpan.FromMilliseconds(200)),
            FakeModelResponse.Text("Remembered: heron."),
            FakeModelResponse.Text("It was heron."),
            FakeModelResponse.Text("Fresh thread here."));
        await using var used = await codex.Client.StartSessionAsync(codex.Session());
        await using var unused = await codex.Client.StartSessionAsync(codex.Session());
        await used.AskAsync("Remember the word heron.");
        var usedThread = used.ThreadId;
        var unusedThread = unused.ThreadId;
        var recoveredUsed = Recovery(used);
        var recoveredUnused = Recovery(unused);
        var firstProcess = codex.Client.ProcessId!.Value;

        Process.GetProcessById(firstProcess).Kill();
        var usedArgs = await recoveredUsed.WaitAsync(RealClient.Deadline);
        var unusedArgs = await recoveredUnused.WaitAsync(RealClient.Deadline);

        Assert.NotEqual(firstProcess, codex.Client.ProcessId);
        Assert.False(usedArgs.Recreated);
        Assert.Equal(usedThread, usedArgs.ThreadId);
        Assert.Equal(usedThread, used.ThreadId);
        Assert.True(unusedArgs.Recreated);
        Assert.Equal(unusedThread, unusedArgs.PreviousThreadId);
        Assert.NotEqual(unusedThread, unused.ThreadId);

        var answer = await used.AskAsync("Which word?");
        Assert.Equal("It was heron.", answer.Text);
        Assert.Contains("Remember the word heron.", codex.Model.ModelRequests[1].Body, StringComparison.Ordinal);
        Assert.Equal("Fresh thread here.", (await unused.AskAsync("Hello again.")).Text);

        var recovered = codex.Envelopes().Where(e => e.Method == "codexSession/recovered").ToArray();
        Assert.Equal(2, recovered.Length);
        Assert.All(recovered, e => Assert.Equal(CodexEnvelopeKind.Lifecycle, e.Kind));
        Assert.Contains(recovered, e => e.ThreadId == usedThread);
    }

    private static Task<CodexSessionRecoveredEventArgs> Recovery(CodexSession session)
    {
        var recovered = new TaskCompletionSource<CodexSessionRecoveredEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        session.Recovered += (_, args) => recovered.TrySetResult(args);
        return recovered.Task;
    }
}
