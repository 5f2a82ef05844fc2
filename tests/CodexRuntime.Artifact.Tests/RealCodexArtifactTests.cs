using System.Text.Json.Nodes;
using CodexRuntime.Artifact.Patching;
using CodexRuntime.Artifact.Tests.Support;
using CodexRuntime.Testing;

namespace CodexRuntime.Artifact.Tests;

/// <summary>
/// Artifact tasks on the real codex binary (newest and floor) through a FakeModelServer that answers JSON for the
/// schemas: the stored text and revisions, the thread resumed by a later process, and a stale edit refused.
/// </summary>
public sealed class RealCodexArtifactTests
{
    private const string Generated = "# Release notes\r\n\r\nThis release speeds up the parser.\n- faster startup\n";

    [Theory]
    [MemberData(nameof(CodexVersions.Both), MemberType = typeof(CodexVersions))]
    public async Task DocGenerate_then_DocEdit_store_the_expected_text_and_revisions(string version)
    {
        await using var rig = await ArtifactRig.CreateAsync(version);
        var generatedRevision = DocPatches.ComputeRevision(Generated);
        rig.Model.Enqueue(
            FakeModelResponse.Text(GenerateAnswer("Release notes", Generated)),
            FakeModelResponse.Text(EditAnswerIn("gfm", generatedRevision, (3, 4, "This release makes the parser twice as fast.\n"), (5, 5, "- smaller binaries\n"))));
        var (client, audit) = rig.NewClient();
        await using (client)
        await using (var manager = rig.NewManager(client))
        {
            var generated = Assert.IsType<DocGenerateResult>(await manager.RunTaskAsync(new ArtifactTaskSpec("notes", ArtifactTaskKind.DocGenerate, "Write the release notes of 2.0.")
            {
                Constraints = ["Use markdown."],
            }));
            var edited = Assert.IsType<DocEditResult>(await manager.RunTaskAsync(new ArtifactTaskSpec("notes", ArtifactTaskKind.DocEdit, "Say how much faster, and mention the smaller binaries.")));

            var expected = "# Release notes\r\n\r\nThis release makes the parser twice as fast.\n- faster startup\n- smaller binaries\n";
            Assert.Equal((Generated, generatedRevision, "Release notes", "markdown"), (generated.Text, generated.Revision, generated.Title, generated.Format));
            Assert.Equal((expected, DocPatches.ComputeRevision(expected), generatedRevision), (edited.Text, edited.Revision, edited.PreviousRevision));
            Assert.Equal(generated.ThreadId, edited.ThreadId);

            var stored = await rig.NewStore().LoadAsync("notes");
            Assert.NotNull(stored);
            Assert.Equal((expected, edited.Revision, "Release notes", generated.ThreadId), (stored.Text, stored.Revision, stored.Meta.Title, stored.Meta.RuntimeThreadId));

            // As in the seed, the edit's format becomes the artifact's (the model may say what the text now is).
            Assert.Equal(("gfm", "gfm"), (edited.Format, stored.Meta.Format));
            var revisions = await rig.NewStore().ListRevisionsAsync("notes");
            Assert.Equal([edited.Revision, generatedRevision, DocPatches.ComputeRevision(string.Empty)], revisions.Select(r => r.Revision));

            // What the model saw: the sectioned prompt, with the revision the patch had to name.
            var first = ArtifactRig.TextOf(rig.Model.ModelRequests[0]);
            Assert.Contains("ROLE:\n" + "You are a documentation engine.", first, StringComparison.Ordinal);
            Assert.Contains("GOAL:\nWrite the release notes of 2.0.\n\nCONSTRAINTS:\n- Use markdown.\n\nCONTEXT:\n", first, StringComparison.Ordinal);
            Assert.Contains("EXAMPLES:\n- none\n\nCURRENT_TEXT_BEGIN\nCURRENT_TEXT_END", first, StringComparison.Ordinal);
            var second = ArtifactRig.TextOf(rig.Model.ModelRequests[1]);
            Assert.Contains("CONSTRAINTS:\n- none\n", second, StringComparison.Ordinal);
            Assert.Contains($"- format: markdown\n- revision: {generatedRevision}\n", second, StringComparison.Ordinal);
            Assert.Contains("CURRENT_TEXT_BEGIN\n" + Generated + "CURRENT_TEXT_END", second, StringComparison.Ordinal);

            // How the turns were sent: approval never, read-only sandbox, effort medium, the kind's schema.
            var turns = ArtifactRig.Sent(audit, "turn/start");
            Assert.Equal(2, turns.Count);
            foreach (var turn in turns)
            {
                var parameters = turn["params"]!;
                Assert.Equal("never", (string)parameters["approvalPolicy"]!);
                Assert.Equal("readOnly", (string)parameters["sandboxPolicy"]!["type"]!);
                Assert.Equal("medium", (string)parameters["effort"]!);
            }

            Assert.Equal(["format", "title", "text"], turns[0]["params"]!["outputSchema"]!["required"]!.AsArray().Select(n => (string)n!));
            Assert.Equal(["format", "expectedRevision", "edits", "notes"], turns[1]["params"]!["outputSchema"]!["required"]!.AsArray().Select(n => (string)n!));
            Assert.Equal(0, rig.Model.UnscriptedRequestCount);

            // The kept revisions let the edit be undone (as a new save, which can itself be undone).
            var undone = await manager.UndoAsync("notes");
            Assert.Equal((Generated, generatedRevision, 4L, edited.Revision, "markdown"), (undone.Text, undone.Revision, undone.Meta.Sequence, undone.Meta.PreviousRevision, undone.Meta.Format));
        }
    }

    [Theory]
    [MemberData(nameof(CodexVersions.Both), MemberType = typeof(CodexVersions))]
    public async Task Tasks_on_one_artifact_started_together_run_one_after_the_other(string version)
    {
        await using var rig = await ArtifactRig.CreateAsync(version);
        rig.Model.Enqueue(FakeModelResponse.Text("""{"n":1}"""), FakeModelResponse.Text("""{"n":2}"""), FakeModelResponse.Text("""{"n":3}"""));
        var (client, _) = rig.NewClient();
        await using (client)
        await using (var manager = rig.NewManager(client))
        {
            // Without the in-memory serialization the second and third would meet a running turn (CodexTurnInProgressException).
            var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => manager.RunTaskAsync(new ArtifactTaskSpec("notes", ArtifactTaskKind.Passthrough, "Count."))));

            var answers = results.Cast<PassthroughResult>().Select(r => r.Output!.Value.GetProperty("n").GetInt32()).Order();
            Assert.Equal([1, 2, 3], answers);
            Assert.Single(results.Select(r => r.ThreadId).Distinct());
            Assert.Equal(3, results.Select(r => r.TurnId).Distinct().Count());
            Assert.Equal(3, rig.Model.ModelRequests.Count);
        }
    }

    [Theory]
    [MemberData(nameof(CodexVersions.Both), MemberType = typeof(CodexVersions))]
    public async Task Reopening_after_the_client_was_disposed_resumes_the_thread_and_sends_the_earlier_exchange(string version)
    {
        await using var rig = await ArtifactRig.CreateAsync(version);
        var answer = GenerateAnswer("Release notes", Generated);
        rig.Model.Enqueue(FakeModelResponse.Text(answer), FakeModelResponse.Text("""{"summary":"Notes for 2.0."}"""));
        string threadId;
        var (first, _) = rig.NewClient();
        await using (first)
        await using (var manager = rig.NewManager(first))
        {
            var opened = await manager.OpenAsync("notes");
            Assert.False(opened.Resumed);
            threadId = opened.ThreadId;
            await manager.RunTaskAsync(new ArtifactTaskSpec("notes", ArtifactTaskKind.DocGenerate, "Write the release notes of 2.0."));
        }

        var (second, audit) = rig.NewClient();
        await using (second)
        await using (var manager = rig.NewManager(second))
        {
            var reopened = await manager.OpenAsync("notes");
            Assert.True(reopened.Resumed);
            Assert.Equal(threadId, reopened.ThreadId);
            Assert.Null(reopened.PreviousThreadId);
            Assert.Single(ArtifactRig.Sent(audit, "thread/resume"));

            var summary = Assert.IsType<PassthroughResult>(await manager.RunTaskAsync(new ArtifactTaskSpec("notes", ArtifactTaskKind.Passthrough, "Summarize the notes as JSON.")
            {
                Effort = "low",
                Summary = CodexRuntime.Protocol.ReasoningSummary.Concise,
            }));
            var turn = Assert.Single(ArtifactRig.Sent(audit, "turn/start"))["params"]!;
            Assert.Equal(("low", "concise"), ((string)turn["effort"]!, (string)turn["summary"]!));
            Assert.Null(turn["outputSchema"]);

            Assert.Equal(threadId, summary.ThreadId);
            Assert.Equal("Notes for 2.0.", (string)JsonNode.Parse(summary.Output!.Value.GetRawText())!["summary"]!);
            var sent = ArtifactRig.TextOf(rig.Model.ModelRequests[1]);
            Assert.Contains("Write the release notes of 2.0.", sent, StringComparison.Ordinal);
            Assert.Contains(answer, sent, StringComparison.Ordinal);
            Assert.Equal((Generated, threadId), ((await rig.NewStore().LoadAsync("notes"))!.Text, (await rig.NewStore().LoadAsync("notes"))!.Meta.RuntimeThreadId));
        }
    }

    [Theory]
    [MemberData(nameof(CodexVersions.Both), MemberType = typeof(CodexVersions))]
    public async Task A_DocEdit_with_a_stale_expected_revision_is_a_conflict_and_leaves_the_store_unchanged(string version)
    {
        await using var rig = await ArtifactRig.CreateAsync(version);
        var generatedRevision = DocPatches.ComputeRevision(Generated);
        var editedText = Generated + "- smaller binaries\n";
        rig.Model.Enqueue(
            // A chatty answer: prose, a fenced block that is not JSON, then the JSON block (taken; the first is skipped).
            FakeModelResponse.Text("Here is the document.\n```text\nnot json at all\n```\n```json\n" + GenerateAnswer("Release notes", Generated) + "\n```\n"),
            // A blank format says nothing about the text: the stored one stays.
            FakeModelResponse.Text(EditAnswerIn(string.Empty, generatedRevision, (5, 5, "- smaller binaries\n"))),
            // Made against the generated revision, which the store has left behind.
            FakeModelResponse.Text(EditAnswer(generatedRevision, (1, 2, "# Notes\r\n"))),
            // The caller's own stale copy: the patch fits that text, but the store moved on.
            FakeModelResponse.Text(EditAnswer(generatedRevision, (1, 2, "# Notes\r\n"))));
        var (client, _) = rig.NewClient();
        await using (client)
        await using (var manager = rig.NewManager(client))
        {
            var generated = Assert.IsType<DocGenerateResult>(await manager.RunTaskAsync(new ArtifactTaskSpec("notes", ArtifactTaskKind.DocGenerate, "Write the release notes.")));
            Assert.Equal(Generated, generated.Text);
            var edited = Assert.IsType<DocEditResult>(await manager.RunTaskAsync(new ArtifactTaskSpec("notes", ArtifactTaskKind.DocEdit, "Mention the smaller binaries.")));
            var store = rig.NewStore();
            Assert.Equal(("markdown", "markdown"), (edited.Format, (await store.LoadAsync("notes"))!.Meta.Format));
            var before = await store.ListRevisionsAsync("notes");

            var stale = await Assert.ThrowsAsync<ArtifactException>(() => manager.RunTaskAsync(new ArtifactTaskSpec("notes", ArtifactTaskKind.DocEdit, "Shorten the title.")));
            Assert.Equal((ArtifactErrorKind.Conflict, DocPatchError.RevisionMismatch, generatedRevision), (stale.Kind, stale.PatchError, stale.ExpectedRevision));

            var staleCopy = await Assert.ThrowsAsync<ArtifactException>(() => manager.RunTaskAsync(new ArtifactTaskSpec("notes", ArtifactTaskKind.DocEdit, "Shorten the title.") { CurrentText = Generated }));
            Assert.Equal((ArtifactErrorKind.Conflict, generatedRevision, edited.Revision), (staleCopy.Kind, staleCopy.ExpectedRevision, staleCopy.ActualRevision));

            var after = await store.LoadAsync("notes");
            Assert.Equal((editedText, edited.Revision), (after!.Text, after.Revision));
            Assert.Equal(before, await store.ListRevisionsAsync("notes"));
            Assert.Equal(0, rig.Model.UnscriptedRequestCount);
        }
    }

    [Theory]
    [MemberData(nameof(CodexVersions.Both), MemberType = typeof(CodexVersions))]
    public async Task An_answer_missing_a_key_or_a_task_past_its_limit_writes_nothing_and_the_turn_is_interrupted(string version)
    {
        await using var rig = await ArtifactRig.CreateAsync(version);
        rig.Model.Enqueue(
            FakeModelResponse.Text("""{"format":"markdown","text":"no title"}"""),
            // 60 s of streaming against a 6 s limit: the limit passes long before the answer could end.
            FakeModelResponse.StreamedText(Enumerable.Range(0, 600).Select(i => $"{i} "), TimeSpan.FromMilliseconds(100)));
        var (client, audit) = rig.NewClient();
        await using (client)
        await using (var manager = new ArtifactSessionManager(client, rig.NewStore(), new ArtifactOptions { WorkingDirectory = rig.Workspace, TaskTimeout = TimeSpan.FromSeconds(6) }))
        {
            var opened = await manager.OpenAsync("notes");
            var before = await rig.NewStore().ListRevisionsAsync("notes");

            var invalid = await Assert.ThrowsAsync<ArtifactException>(() => manager.RunTaskAsync(new ArtifactTaskSpec("notes", ArtifactTaskKind.DocGenerate, "Write it.")));
            Assert.Equal(ArtifactErrorKind.InvalidOutput, invalid.Kind);
            Assert.Contains("'title'", invalid.Message, StringComparison.Ordinal);

            var late = await Assert.ThrowsAsync<ArtifactException>(() => manager.RunTaskAsync(new ArtifactTaskSpec("notes", ArtifactTaskKind.DocGenerate, "Write a very long one.")));
            Assert.Equal(ArtifactErrorKind.Timeout, late.Kind);

            Assert.Equal(before, await rig.NewStore().ListRevisionsAsync("notes"));
            Assert.Equal(string.Empty, (await rig.NewStore().LoadAsync("notes"))!.Text);
            var interrupts = ArtifactRig.Sent(audit, "turn/interrupt");
            Assert.NotEmpty(interrupts);
            Assert.All(interrupts, i => Assert.Equal(opened.ThreadId, (string)i["params"]!["threadId"]!));
        }
    }

    private static string GenerateAnswer(string title, string text) =>
        new JsonObject { ["format"] = "markdown", ["title"] = title, ["text"] = text }.ToJsonString();

    private static string EditAnswer(string expectedRevision, params (int Start, int End, string Replacement)[] edits) =>
        EditAnswerIn("markdown", expectedRevision, edits);

    private static string EditAnswerIn(string format, string expectedRevision, params (int Start, int End, string Replacement)[] edits) =>
        new JsonObject
        {
            ["format"] = format,
            ["expectedRevision"] = expectedRevision,
            ["edits"] = new JsonArray(edits.Select(e => (JsonNode)new JsonObject { ["startLine"] = e.Start, ["endLine"] = e.End, ["replacement"] = e.Replacement }).ToArray()),
            ["notes"] = null,
        }.ToJsonString();
}
