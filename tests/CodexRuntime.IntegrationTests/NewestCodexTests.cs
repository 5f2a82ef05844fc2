using CodexRuntime.Diagnostics;
using CodexRuntime.IntegrationTests.Support;
using CodexRuntime.Protocol;
using CodexRuntime.Testing;
using CodexRuntime.Tests.Shared;
using Microsoft.Extensions.Logging;

namespace CodexRuntime.IntegrationTests;

/// <summary>What codex 0.169.0+ added for a client to get right: its retry signals, paged history, typed thread errors.</summary>
public sealed class NewestCodexTests
{
    [Fact]
    public async Task An_unreachable_model_provider_shows_as_retry_events_warnings_and_a_timeout_that_says_why()
    {
        using var logs = new CapturedLogs();
        await using var sandbox = await CodexSandbox.CreateAsync(CodexInstallations.Newest, "never", []);
        await sandbox.Model.DisposeAsync(); // nothing listens on the provider's port any more
        var config = new ClientConfig();
        config.Runtime.Process = sandbox.ProcessOptions();
        await using var client = new CodexClient(config, logs.Factory);
        var profile = new RunProfile { Timeout = TimeSpan.FromSeconds(8) };
        await using var session = await client.StartSessionAsync(new SessionConfig(sandbox.Workspace.FullName, profile));
        await using var turn = await session.AskStreamingAsync("Hello?");

        RetryingEvent? retrying = null;
        var error = await Assert.ThrowsAsync<CodexRunTimeoutException>(async () =>
        {
            await foreach (var e in turn)
            {
                if (e is RetryingEvent r)
                {
                    retrying ??= r;
                }
            }
        });

        Assert.NotNull(retrying);
        Assert.Contains("Reconnecting", retrying.Error.Message, StringComparison.Ordinal);
        Assert.Contains(logs.At(LogLevel.Warning), line => line.Contains("Retrying", StringComparison.Ordinal) && line.Contains("Reconnecting", StringComparison.Ordinal));
        Assert.Contains(client.Runtime.Notices, n => n.Kind == CodexNoticeKind.Retrying && n.TurnId == turn.TurnId);
        Assert.NotNull(error.LastRetry);
        Assert.Contains("Reconnecting", error.Message, StringComparison.Ordinal);
        Assert.Contains("a longer timeout will not help", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Raise RunProfile.Timeout", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task Resume_sends_no_deprecation_notice_and_the_history_read_page_by_page_is_the_full_history(string version)
    {
        await using var sandbox = await CodexSandbox.CreateAsync(version, "never",
        [
            FakeModelResponse.Text("First answer."),
            FakeModelResponse.Text("Second answer."),
            FakeModelResponse.Text("Third answer."),
        ]);
        string threadId;
        await using (var first = RealClient.Create(sandbox))
        {
            await using var session = await first.Client.StartSessionAsync(first.Session());
            await session.AskAsync("One.");
            await session.AskAsync("Two.");
            await session.AskAsync("Three.");
            threadId = session.ThreadId;
        }

        await using var second = RealClient.Create(sandbox);
        await using var resumed = await second.Client.ResumeSessionAsync(threadId, second.Session());
        var paged = await second.Client.ReadHistoryAsync(threadId, pageSize: 1).ToListAsync();
        // Everything codex sent before the last page's answer has been read by now, in order.
        Assert.DoesNotContain(second.Envelopes(), e => e.Method == "deprecationNotice");
        Assert.DoesNotContain(second.Client.Runtime.Notices, n => n.Kind == CodexNoticeKind.DeprecationNotice);

        var full = await second.Client.AppServer.CallAsync(CodexMethods.ThreadRead, new ThreadReadParams { ThreadId = threadId, IncludeTurns = true });
        Assert.Equal(3, paged.Count);
        Assert.Equal(full.Thread.Turns.Select(t => t.Id), paged.Select(t => t.Id));
        Assert.Equal(["First answer.", "Second answer.", "Third answer."], paged.Select(AgentText));
        Assert.Equal(full.Thread.Turns.Select(AgentText), paged.Select(AgentText));
    }

    [Theory]
    [MemberData(nameof(CodexInstallations.Versions), MemberType = typeof(CodexInstallations))]
    public async Task Resuming_an_unknown_or_an_archived_thread_says_which(string version)
    {
        await using var codex = await RealClient.CreateAsync(version, "never", null, FakeModelResponse.Text("Kept."));

        var unknown = await Assert.ThrowsAsync<CodexThreadNotFoundException>(() =>
            codex.Client.ResumeSessionAsync("019a0000-0000-7000-8000-000000000000", codex.Session()));
        Assert.False(unknown.Archived);
        Assert.Contains("check the id", unknown.Message, StringComparison.Ordinal);

        await using var session = await codex.Client.StartSessionAsync(codex.Session());
        await session.AskAsync("Keep this.");
        await session.CloseAsync(); // archives the thread

        var archived = await Assert.ThrowsAsync<CodexThreadNotFoundException>(() => codex.Client.ResumeSessionAsync(session.ThreadId, codex.Session()));
        Assert.True(archived.Archived);
        Assert.Equal(session.ThreadId, archived.ThreadId);
        Assert.Contains("Unarchive", archived.Message, StringComparison.Ordinal);
        Assert.IsType<CodexInvalidRequestException>(archived.InnerException);
    }

    private static string AgentText(Turn turn) =>
        string.Join("\n", turn.Items.OfType<AgentMessageThreadItem>().Select(item => item.Text));
}
