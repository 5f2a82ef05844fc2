using CodexRuntime.Artifact.Tests.Support;
using CodexRuntime.Testing;

namespace CodexRuntime.Artifact.Tests;

/// <summary>
/// Closing one artifact (on the scripted app-server with a real file store): its session goes without archiving, a
/// later open resumes the thread, the manager and the store keep nothing of it, a close waits for the artifact's work,
/// and racing opens, tasks and closes leak no session.
/// </summary>
public sealed class ArtifactCloseTests
{
    private static readonly TimeSpan Deadline = ScriptedArtifacts.Deadline;

    [Fact]
    public async Task Closing_lets_the_session_go_without_archiving_and_the_next_open_resumes_the_thread()
    {
        await using var codex = new ScriptedArtifacts();
        var opened = await codex.Manager.OpenAsync("doc").WaitAsync(Deadline);
        Assert.Single(codex.Client.Sessions);

        Assert.True(await codex.Manager.CloseAsync("doc").WaitAsync(Deadline));

        Assert.Equal((0, 0, 0), (codex.Manager.OpenCount, codex.Client.Sessions.Count, codex.Archived));
        Assert.False(await codex.Manager.CloseAsync("doc").WaitAsync(Deadline));
        var reopened = await codex.Manager.OpenAsync("doc").WaitAsync(Deadline);
        Assert.Equal((opened.ThreadId, true), (reopened.ThreadId, reopened.Resumed));
        Assert.Equal(1, codex.Manager.OpenCount);
    }

    [Fact]
    public async Task After_many_open_and_close_cycles_the_manager_and_the_store_keep_nothing()
    {
        await using var codex = new ScriptedArtifacts();
        for (var i = 0; i < 300; i++)
        {
            await codex.Manager.OpenAsync($"doc-{i}").WaitAsync(Deadline);
            if (i % 2 == 1)
            {
                // Closed in pairs, so some close with another artifact open.
                Assert.True(await codex.Manager.CloseAsync($"doc-{i - 1}").WaitAsync(Deadline));
                Assert.True(await codex.Manager.CloseAsync($"doc-{i}").WaitAsync(Deadline));
            }
        }

        Assert.Equal((0, 0, 0, 0), (codex.Manager.OpenCount, codex.Manager.GateCount, codex.Store.GateCount, codex.Client.Sessions.Count));
        Assert.Equal(0, codex.Archived);
    }

    [Fact]
    public async Task A_close_waits_for_the_task_in_flight_and_a_later_task_opens_the_artifact_again()
    {
        await using var codex = new ScriptedArtifacts();
        var task = codex.Manager.RunTaskAsync(new ArtifactTaskSpec("doc", ArtifactTaskKind.Passthrough, "Say hi."));
        var turn = await codex.NextTurnAsync();

        var closing = codex.Manager.CloseAsync("doc");
        Assert.False(closing.IsCompleted);   // the task holds the artifact until its turn ends
        await turn.CompleteAsync("hi");

        var result = Assert.IsType<PassthroughResult>(await task.WaitAsync(Deadline));
        Assert.Equal("hi", result.Text);
        Assert.True(await closing.WaitAsync(Deadline));
        Assert.Equal((0, 0), (codex.Manager.OpenCount, codex.Client.Sessions.Count));

        var again = codex.Manager.RunTaskAsync(new ArtifactTaskSpec("doc", ArtifactTaskKind.Passthrough, "Again."));
        var second = await codex.NextTurnAsync();
        Assert.Equal(turn.ThreadId, second.ThreadId);   // resumed, not a new thread
        await second.CompleteAsync("again");
        Assert.Equal("again", Assert.IsType<PassthroughResult>(await again.WaitAsync(Deadline)).Text);
    }

    [Fact]
    public async Task Opens_tasks_and_closes_racing_on_the_same_artifacts_never_use_a_closed_session_or_leak_one()
    {
        await using var codex = new ScriptedArtifacts();
        const int Rounds = 60;
        var answering = Task.Run(async () =>
        {
            // Two tasks per round.
            for (var i = 0; i < Rounds * 2; i++)
            {
                var turn = await codex.NextTurnAsync();
                await turn.CompleteAsync("ok " + turn.TurnId);
            }
        });

        var rounds = Enumerable.Range(0, Rounds).Select(round => Task.Run(async () =>
        {
            var id = $"doc-{round % 3}";
            var work = new List<Task>
            {
                codex.Manager.RunTaskAsync(new ArtifactTaskSpec(id, ArtifactTaskKind.Passthrough, "One.")),
                codex.Manager.CloseAsync(id),
                codex.Manager.OpenAsync(id),
                codex.Manager.CloseAsync(id),
                codex.Manager.RunTaskAsync(new ArtifactTaskSpec(id, ArtifactTaskKind.Passthrough, "Two.")),
                codex.Manager.CloseAsync(id),
            };
            await Task.WhenAll(work);
        })).ToArray();

        // Every task succeeded: none ran on a session a close had let go.
        await Task.WhenAll(rounds).WaitAsync(TimeSpan.FromSeconds(60));
        await answering.WaitAsync(Deadline);
        foreach (var id in new[] { "doc-0", "doc-1", "doc-2" })
        {
            await codex.Manager.CloseAsync(id).WaitAsync(Deadline);
        }

        Assert.Equal((0, 0, 0, 0), (codex.Manager.OpenCount, codex.Manager.GateCount, codex.Store.GateCount, codex.Client.Sessions.Count));
        Assert.Equal(0, codex.Archived);
    }

    [Fact]
    public async Task A_close_gives_up_at_its_deadline_while_the_artifact_stays_busy_and_closes_nothing()
    {
        await using var codex = new ScriptedArtifacts(new ArtifactOptions { TaskTimeout = TimeSpan.FromSeconds(5) });
        await codex.Manager.OpenAsync("other").WaitAsync(Deadline);
        // An open whose thread/start codex has not answered holds the artifact.
        codex.Server.Handle("thread/start", null);
        var opening = codex.Manager.OpenAsync("doc");
        var start = await codex.Server.ReadRequestAsync("thread/start");

        var closing = codex.Manager.CloseAsync("doc");
        Assert.False(closing.IsCompleted);
        codex.Clock.Advance(TimeSpan.FromSeconds(5));

        var error = await Assert.ThrowsAsync<ArtifactException>(() => closing.WaitAsync(Deadline));
        Assert.Equal(ArtifactErrorKind.Timeout, error.Kind);
        Assert.Contains("'doc'", error.Message, StringComparison.Ordinal);
        Assert.Contains("ArtifactOptions.TaskTimeout", error.Message, StringComparison.Ordinal);

        await start.RespondErrorAsync(-32603, "scripted failure");
        await Assert.ThrowsAnyAsync<CodexException>(() => opening.WaitAsync(Deadline));
        Assert.Equal((1, 0), (codex.Manager.OpenCount, codex.Manager.GateCount));
    }

    [Fact]
    public async Task A_session_opened_while_the_manager_is_disposed_is_let_go_not_leaked()
    {
        await using var codex = new ScriptedArtifacts();
        codex.Server.Handle("thread/start", null);
        var opening = codex.Manager.OpenAsync("doc");
        var start = await codex.Server.ReadRequestAsync("thread/start");

        await codex.Manager.DisposeAsync();
        await start.RespondAsync(ScriptedAppServer.ThreadResult("thread-late", (string?)start.Params?["cwd"]));

        await Assert.ThrowsAsync<ObjectDisposedException>(() => opening.WaitAsync(Deadline));
        Assert.Equal((0, 0), (codex.Manager.OpenCount, codex.Client.Sessions.Count));
    }

    [Fact]
    public async Task Closing_after_dispose_is_refused_and_an_invalid_id_is_named()
    {
        var codex = new ScriptedArtifacts();
        await codex.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => codex.Manager.CloseAsync("doc"));
        await using var fresh = new ScriptedArtifacts();
        var invalid = await Assert.ThrowsAsync<ArtifactException>(() => fresh.Manager.CloseAsync("a\uD800"));
        Assert.Equal(ArtifactErrorKind.InvalidId, invalid.Kind);
    }
}
