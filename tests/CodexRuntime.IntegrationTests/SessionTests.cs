using CodexRuntime.IntegrationTests.Support;
using CodexRuntime.Protocol;
using CodexRuntime.Testing;

namespace CodexRuntime.IntegrationTests;

/// <summary>Sessions on the real binary: memory across asks, resume on a new process, fork.</summary>
public sealed class SessionTests
{
    /// <summary>A 1x1 PNG as a data URL (codex 0.169.0 and later refuse remote image URLs).</summary>
    private const string OnePixelPng = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";

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
        var error = await Assert.ThrowsAsync<CodexRuntime.CodexSessionClosedException>(() => session.AskAsync("again"));
        Assert.Contains("CloseAsync archived its thread", error.Message, StringComparison.Ordinal);
        Assert.Single(codex.Envelopes(), e => e.Direction == CodexRuntime.Events.CodexDirection.Outbound && e.Method == "thread/archive");
        Assert.Empty(codex.Client.Sessions);

        // Disposing only lets go; closing afterwards still archives.
        var disposed = await codex.Client.StartSessionAsync(codex.Session());
        await disposed.DisposeAsync();
        Assert.DoesNotContain(codex.Envelopes(), e => e.Method == "thread/archive");
        await disposed.CloseAsync();
        Assert.Single(codex.Envelopes(), e => e.Direction == CodexRuntime.Events.CodexDirection.Outbound && e.Method == "thread/archive");
    }

    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task Instructions_output_schema_and_an_image_url_reach_the_model(string version)
    {
        await using var codex = await RealClient.CreateAsync(version, "never", null, FakeModelResponse.Text("{\"answer\":\"ok\"}"));
        using var schema = System.Text.Json.JsonDocument.Parse("""{"type":"object","properties":{"answer":{"type":"string","description":"schema-marker-kiwi"}},"required":["answer"],"additionalProperties":false}""");
        var profile = new RunProfile { OutputSchema = schema.RootElement.Clone() };
        var config = codex.Session(profile);
        config.DeveloperInstructions = "instructions-marker-mango";
        await using var session = await codex.Client.StartSessionAsync(config);

        var result = await session.AskAsync(new CodexPrompt("describe the picture").With(CodexAttachment.ImageUrl(OnePixelPng)));

        Assert.Equal("{\"answer\":\"ok\"}", result.Text);
        var body = codex.Model.ModelRequests[0].Body;
        Assert.Contains("instructions-marker-mango", body, StringComparison.Ordinal);
        Assert.Contains("schema-marker-kiwi", body, StringComparison.Ordinal);
        Assert.Contains("data:image/png;base64,", body, StringComparison.Ordinal);
    }
}
