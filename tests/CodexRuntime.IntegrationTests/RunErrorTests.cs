using CodexRuntime.Events;
using CodexRuntime.IntegrationTests.Support;
using CodexRuntime.Protocol;
using CodexRuntime.Testing;

namespace CodexRuntime.IntegrationTests;

/// <summary>Each way a run can end badly has its own error, on the real binary; attachments are checked before sending.</summary>
public sealed class RunErrorTests
{
    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task A_model_failure_is_a_failed_run_with_codex_error_message(string version)
    {
        await using var codex = await RealClient.CreateAsync(version, "never", null, FakeModelResponse.HttpError(500, "scripted model outage"));
        await using var session = await codex.Client.StartSessionAsync(codex.Session());

        var error = await Assert.ThrowsAsync<CodexRunFailedException>(() => session.AskAsync("hello"));

        Assert.Equal(TurnStatus.Failed, error.PartialResult?.Status);
        Assert.False(string.IsNullOrEmpty(error.ErrorMessage));
        Assert.Equal(session.ThreadId, error.ThreadId);
        Assert.NotNull(error.TurnId);
        Assert.DoesNotContain("hello", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task A_turn_without_assistant_text_is_an_empty_response(string version)
    {
        await using var codex = await RealClient.CreateAsync(version, "never", null,
            FakeModelResponse.ExecCommand("echo only-a-command"),
            FakeModelResponse.Text(string.Empty));
        await using var session = await codex.Client.StartSessionAsync(codex.Session());

        var error = await Assert.ThrowsAsync<CodexEmptyResponseException>(() => session.AskAsync("run something"));

        Assert.Equal(TurnStatus.Completed, error.PartialResult?.Status);
        Assert.Contains(error.PartialResult!.Items, item => item is CommandExecutionThreadItem);
    }

    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task Attachments_are_sent_and_a_missing_path_fails_before_anything_is_sent(string version)
    {
        await using var codex = await RealClient.CreateAsync(version, "never", null, FakeModelResponse.Text("seen"));
        File.WriteAllText(Path.Combine(codex.Workspace, "notes.md"), "# notes");
        await using var session = await codex.Client.StartSessionAsync(codex.Session());
        codex.Envelopes();

        var missing = new CodexPrompt("look").With(CodexAttachment.LocalImage("missing.png"));
        var error = await Assert.ThrowsAsync<CodexAttachmentNotFoundException>(() => session.AskAsync(missing));

        Assert.Equal(Path.Combine(codex.Workspace, "missing.png"), error.Path);
        Assert.Equal("local image", error.Kind);
        // Only what we send is ours to check: codex may still be publishing thread/started or MCP startup news.
        Assert.DoesNotContain(codex.Envelopes(), e => e.Direction == CodexDirection.Outbound);
        Assert.Null(session.ActiveTurn);

        var result = await session.AskAsync(new CodexPrompt("summarize the attached file").With(CodexAttachment.File("notes.md")));
        Assert.Equal("seen", result.Text);
        var turnStart = Assert.Single(codex.Envelopes(), e => e.Direction == CodexDirection.Outbound && e.Method == "turn/start");
        var sent = System.Text.Encoding.UTF8.GetString(turnStart.Json.Span);
        Assert.Contains("\"type\":\"mention\"", sent, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(codex.Workspace, "notes.md"), sent, StringComparison.Ordinal);
    }
}
