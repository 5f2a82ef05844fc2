using CodexRuntime.Artifact.Tests.Support;
using CodexRuntime.Protocol;

namespace CodexRuntime.Artifact.Tests;

/// <summary>
/// A streamed task's progress on the scripted app-server: deltas reach the reader while the turn still runs, in order,
/// and make the answer; a reader that falls behind loses reports (counted), not the task; a reader that throws does not
/// break the task.
/// </summary>
public sealed class ArtifactProgressTests
{
    private static readonly TimeSpan Deadline = ScriptedArtifacts.Deadline;

    [Fact]
    public async Task Deltas_reach_the_reader_while_the_turn_runs_in_order_and_make_the_answer()
    {
        await using var codex = new ScriptedArtifacts();
        var run = codex.Manager.RunTaskStreaming(new ArtifactTaskSpec("doc", ArtifactTaskKind.Passthrough, "Say it in parts."));
        var turn = await codex.NextTurnAsync();
        await using var progress = run.Progress.GetAsyncEnumerator();

        var started = await NextAsync(progress);
        Assert.Equal((ArtifactTaskProgressKind.TurnStarted, turn.TurnId, "doc"), (started.Kind, started.TurnId, started.ArtifactId));
        await turn.StartMessageAsync();
        var item = await NextAsync(progress);
        Assert.Equal((ArtifactTaskProgressKind.ItemStarted, turn.MessageId), (item.Kind, item.ItemId));
        Assert.IsType<AgentMessageThreadItem>(item.Item);

        string[] parts = ["The answer ", "comes ", "in three parts."];
        foreach (var part in parts)
        {
            await turn.DeltaAsync(part);
            var delta = await NextAsync(progress);
            Assert.Equal((ArtifactTaskProgressKind.TextDelta, part, turn.MessageId, turn.TurnId), (delta.Kind, delta.Delta, delta.ItemId, delta.TurnId));
            // The turn has not ended: the reader has the text before the result exists.
            Assert.False(run.Result.IsCompleted);
        }

        await turn.CompleteAsync(string.Concat(parts));
        var completed = await NextAsync(progress);
        Assert.Equal(ArtifactTaskProgressKind.ItemCompleted, completed.Kind);
        Assert.Equal(string.Concat(parts), Assert.IsType<AgentMessageThreadItem>(completed.Item).Text);
        Assert.False(await progress.MoveNextAsync().AsTask().WaitAsync(Deadline));

        var result = Assert.IsType<PassthroughResult>(await run.Result.WaitAsync(Deadline));
        Assert.Equal(string.Concat(parts), result.Text);
        Assert.Throws<InvalidOperationException>(() => run.Progress.GetAsyncEnumerator());
    }

    [Fact]
    public async Task A_reader_that_does_not_keep_up_loses_counted_reports_and_the_task_finishes_without_it()
    {
        await using var codex = new ScriptedArtifacts(new ArtifactOptions { ProgressCapacity = 3 });
        var run = codex.Manager.RunTaskStreaming(new ArtifactTaskSpec("doc", ArtifactTaskKind.Passthrough, "Say a lot."));
        var turn = await codex.NextTurnAsync();
        await turn.StartMessageAsync();
        for (var i = 0; i < 10; i++)
        {
            await turn.DeltaAsync($"d{i} ");
        }

        await turn.CompleteAsync(string.Concat(Enumerable.Range(0, 10).Select(i => $"d{i} ")));

        // Nobody read: the task finished anyway, with the whole answer.
        var result = Assert.IsType<PassthroughResult>(await run.Result.WaitAsync(Deadline));
        Assert.Equal(string.Concat(Enumerable.Range(0, 10).Select(i => $"d{i} ")), result.Text);
        var reports = new List<ArtifactTaskProgress>();
        await foreach (var report in run.Progress)
        {
            reports.Add(report);
        }

        // Three reports fitted; nine deltas and the item's completion were dropped and counted, last.
        Assert.Equal(
            [ArtifactTaskProgressKind.TurnStarted, ArtifactTaskProgressKind.ItemStarted, ArtifactTaskProgressKind.TextDelta, ArtifactTaskProgressKind.ReportsLost],
            reports.Select(r => r.Kind));
        Assert.Equal(("d0 ", 10L), (reports[2].Delta, reports[3].Lost));
    }

    [Fact]
    public async Task A_reader_that_throws_does_not_break_the_task()
    {
        await using var codex = new ScriptedArtifacts();
        var run = codex.Manager.RunTaskStreaming(new ArtifactTaskSpec("doc", ArtifactTaskKind.Passthrough, "Say it."));
        var turn = await codex.NextTurnAsync();
        var reader = Task.Run(async () =>
        {
            await foreach (var report in run.Progress)
            {
                throw new InvalidOperationException("the UI failed on " + report.Kind);
            }
        });

        await Assert.ThrowsAsync<InvalidOperationException>(() => reader.WaitAsync(Deadline));
        await turn.StartMessageAsync();
        await turn.DeltaAsync("still ");
        await turn.CompleteAsync("still fine");

        Assert.Equal("still fine", Assert.IsType<PassthroughResult>(await run.Result.WaitAsync(Deadline)).Text);
    }

    [Fact]
    public async Task A_failed_turn_ends_the_progress_and_the_result_carries_the_error()
    {
        await using var codex = new ScriptedArtifacts();
        var run = codex.Manager.RunTaskStreaming(new ArtifactTaskSpec("doc", ArtifactTaskKind.DocGenerate, "Write it."));
        var turn = await codex.NextTurnAsync();
        await turn.StartMessageAsync();
        await turn.CompleteAsync("no JSON here");

        var kinds = new List<ArtifactTaskProgressKind>();
        using var deadline = new CancellationTokenSource(Deadline);
        await foreach (var report in run.Progress.WithCancellation(deadline.Token))
        {
            kinds.Add(report.Kind);
        }

        Assert.Equal([ArtifactTaskProgressKind.TurnStarted, ArtifactTaskProgressKind.ItemStarted, ArtifactTaskProgressKind.ItemCompleted], kinds);
        var error = await Assert.ThrowsAsync<ArtifactException>(() => run.Result.WaitAsync(Deadline));
        Assert.Equal(ArtifactErrorKind.InvalidOutput, error.Kind);
    }

    [Fact]
    public void A_progress_capacity_below_one_is_refused_naming_the_setting()
    {
        var problems = new ArtifactOptions { ProgressCapacity = 0 }.Validate();
        Assert.Contains(problems, p => p.StartsWith("ArtifactOptions.ProgressCapacity is 0", StringComparison.Ordinal));
    }

    private static async Task<ArtifactTaskProgress> NextAsync(IAsyncEnumerator<ArtifactTaskProgress> progress)
    {
        Assert.True(await progress.MoveNextAsync().AsTask().WaitAsync(Deadline), "the progress stream ended early");
        return progress.Current;
    }
}
