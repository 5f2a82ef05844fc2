using System.Text.Json.Nodes;
using CodexRuntime.Artifact.Tests.Support;
using CodexRuntime.Protocol;
using CodexRuntime.Testing;

namespace CodexRuntime.Artifact.Tests;

/// <summary>
/// A streamed task on the real codex binary (newest and floor): the model's answer, streamed in several deltas by the
/// FakeModelServer, reaches the progress reader in order, between the message's start and completion, and the deltas
/// concatenate to the answer the task then saved. A task closed and reopened in between resumes its thread.
/// </summary>
public sealed class RealCodexProgressTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Theory]
    [MemberData(nameof(CodexVersions.Both), MemberType = typeof(CodexVersions))]
    public async Task A_streamed_DocGenerate_reports_the_answer_deltas_in_order_before_its_result(string version)
    {
        await using var rig = await ArtifactRig.CreateAsync(version);
        const string Text = "# Plan\n\nShip the parser first.\n";
        var answer = new JsonObject { ["format"] = "markdown", ["title"] = "Plan", ["text"] = Text }.ToJsonString();
        // Several deltas, cut inside JSON strings and escapes on purpose.
        string[] chunks = [answer[..7], answer[7..20], answer[20..33], answer[33..]];
        rig.Model.Enqueue(FakeModelResponse.StreamedText(chunks));
        var (client, _) = rig.NewClient();
        await using (client)
        await using (var manager = rig.NewManager(client))
        {
            var run = manager.RunTaskStreaming(new ArtifactTaskSpec("plan", ArtifactTaskKind.DocGenerate, "Write the plan."));
            var reports = new List<ArtifactTaskProgress>();
            using (var deadline = new CancellationTokenSource(Deadline))
            {
                await foreach (var report in run.Progress.WithCancellation(deadline.Token))
                {
                    reports.Add(report);
                }
            }

            // The stream ended before the result was set: every report was there when the result came.
            var result = Assert.IsType<DocGenerateResult>(await run.Result.WaitAsync(Deadline));
            Assert.Equal((Text, "Plan"), (result.Text, result.Title));
            Assert.DoesNotContain(reports, r => r.Kind == ArtifactTaskProgressKind.ReportsLost);
            Assert.Equal((ArtifactTaskProgressKind.TurnStarted, result.TurnId), (reports[0].Kind, reports[0].TurnId));

            var deltas = reports.Where(r => r.Kind == ArtifactTaskProgressKind.TextDelta).ToList();
            Assert.True(deltas.Count >= 2, $"expected the answer in several deltas, got {deltas.Count}");
            Assert.Equal(answer, string.Concat(deltas.Select(d => d.Delta)));

            // In order: the answer message starts, its deltas stream, it completes with the same text.
            var messageId = deltas[0].ItemId;
            Assert.All(deltas, d => Assert.Equal(messageId, d.ItemId));
            var startedAt = reports.FindIndex(r => r.Kind == ArtifactTaskProgressKind.ItemStarted && r.Item is AgentMessageThreadItem && r.ItemId == messageId);
            var completedAt = reports.FindIndex(r => r.Kind == ArtifactTaskProgressKind.ItemCompleted && r.Item is AgentMessageThreadItem && r.ItemId == messageId);
            Assert.InRange(startedAt, 1, reports.IndexOf(deltas[0]) - 1);
            Assert.True(completedAt > reports.IndexOf(deltas[^1]), "the message completed before its last delta");
            Assert.Equal(answer, ((AgentMessageThreadItem)reports[completedAt].Item!).Text);
            Assert.All(reports, r => Assert.Equal(("plan", result.TurnId), (r.ArtifactId, r.TurnId)));

            var stored = await rig.NewStore().LoadAsync("plan");
            Assert.Equal(Text, stored!.Text);
        }
    }

    [Theory]
    [MemberData(nameof(CodexVersions.Both), MemberType = typeof(CodexVersions))]
    public async Task A_closed_artifact_is_resumed_by_its_next_task_on_the_same_thread(string version)
    {
        await using var rig = await ArtifactRig.CreateAsync(version);
        rig.Model.Enqueue(FakeModelResponse.Text("first"), FakeModelResponse.Text("second"));
        var (client, audit) = rig.NewClient();
        await using (client)
        await using (var manager = rig.NewManager(client))
        {
            var first = Assert.IsType<PassthroughResult>(await manager.RunTaskAsync(new ArtifactTaskSpec("notes", ArtifactTaskKind.Passthrough, "Say first.")).WaitAsync(Deadline));
            Assert.True(await manager.CloseAsync("notes").WaitAsync(Deadline));
            Assert.Empty(client.Sessions);

            var second = Assert.IsType<PassthroughResult>(await manager.RunTaskAsync(new ArtifactTaskSpec("notes", ArtifactTaskKind.Passthrough, "Say second.")).WaitAsync(Deadline));

            Assert.Equal(("first", "second", first.ThreadId), (first.Text, second.Text, second.ThreadId));
            Assert.Single(ArtifactRig.Sent(audit, "thread/resume"));
            // The model saw the earlier exchange: the thread was resumed, not archived.
            Assert.Contains("Say first.", ArtifactRig.TextOf(rig.Model.ModelRequests[1]), StringComparison.Ordinal);
        }
    }
}
