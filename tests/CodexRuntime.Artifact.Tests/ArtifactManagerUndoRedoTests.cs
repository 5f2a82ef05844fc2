using CodexRuntime.Artifact.Diffing;
using CodexRuntime.Artifact.Patching;
using CodexRuntime.Artifact.Tests.Support;

namespace CodexRuntime.Artifact.Tests;

/// <summary>
/// <see cref="ArtifactSessionManager.UndoAsync"/>, <see cref="ArtifactSessionManager.RedoAsync"/>,
/// <see cref="ArtifactSessionManager.ListRevisionsAsync"/> and <see cref="ArtifactSessionManager.DiffAsync"/>: they
/// work on the store alone (codex is never started) and race other managers by compare-and-swap.
/// </summary>
public sealed class ArtifactManagerUndoRedoTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_manager_undoes_three_times_redoes_twice_lists_and_diffs_without_starting_codex()
    {
        using var root = new TempFolder();
        var store = new FsArtifactStore(root.Path);
        var saved = new List<ArtifactRecord>();
        foreach (var text in new[] { "# A\n", "# A\n- one\n", "# A\n- one\n- two\n", "# A\n- one, first\n- two\n" })
        {
            saved.Add(await ArtifactHistoryTests.SaveAsync(store, text));
        }

        await using var client = new CodexClient(new ClientConfig());
        await using var manager = new ArtifactSessionManager(client, store);

        Assert.Equal(saved[2].Revision, (await manager.UndoAsync("doc")).Revision);
        Assert.Equal(saved[1].Revision, (await manager.UndoAsync("doc")).Revision);
        Assert.Equal(saved[0].Revision, (await manager.UndoAsync("doc")).Revision);
        Assert.Equal(saved[1].Revision, (await manager.RedoAsync("doc")).Revision);
        var redone = await manager.RedoAsync("doc");
        Assert.Equal((saved[2].Text, 9L, ArtifactChange.Redo), (redone.Text, redone.Meta.Sequence, redone.Meta.Change));

        var revisions = await manager.ListRevisionsAsync("doc");
        Assert.Equal(9, revisions.Count);
        Assert.Equal(redone.Revision, revisions[0].Revision);
        // From the redo, undo goes back to the save it left (8) and redo on to the last edit (save 4).
        Assert.Equal((8L, 4L), (revisions[0].UndoSequence, revisions[0].RedoSequence));

        var diff = await manager.DiffAsync("doc", saved[3].Revision, redone.Revision);
        Assert.Equal("--- a\n+++ b\n@@ -1,3 +1,3 @@\n # A\n-- one, first\n+- one\n - two\n", diff.ToUnifiedDiff());
        Assert.True(diff.IsMinimal);
        Assert.Null(client.ProcessId);
    }

    [Fact]
    public async Task Two_managers_racing_an_undo_make_one_undo_and_one_clear_conflict()
    {
        using var root = new TempFolder();
        var files = new FsArtifactStore(root.Path);
        await ArtifactHistoryTests.SaveAsync(files, "v1\n");
        await ArtifactHistoryTests.SaveAsync(files, "v2\n");
        var before = await ArtifactHistoryTests.SaveAsync(files, "v3\n");

        // Both managers read save 3 before either saves (their in-process gates are their own, like two processes').
        var store = new LoadBarrierStore(files, callers: 2, Deadline);
        await using var client = new CodexClient(new ClientConfig());
        await using var first = new ArtifactSessionManager(client, store);
        await using var second = new ArtifactSessionManager(client, store);
        var undos = new[] { first.UndoAsync("doc"), second.UndoAsync("doc") };
        await Task.WhenAll(undos).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(Deadline);

        var won = Assert.Single(undos, u => u.IsCompletedSuccessfully);
        var lost = Assert.Single(undos, u => u.IsFaulted);
        var conflict = Assert.IsType<ArtifactException>(lost.Exception!.InnerException);
        var undone = await won;
        Assert.Equal((ArtifactErrorKind.Conflict, before.Revision, undone.Revision), (conflict.Kind, conflict.ExpectedRevision, conflict.ActualRevision));
        Assert.Contains("nothing was written", conflict.Message, StringComparison.Ordinal);

        // Exactly one step back: the loser did not undo a second time.
        var stored = (await files.LoadAsync("doc"))!;
        Assert.Equal(("v2\n", 4L), (stored.Text, stored.Meta.Sequence));
    }

    [Fact]
    public async Task The_manager_reports_nothing_to_undo_or_redo_by_kind_and_refuses_invalid_ids()
    {
        using var root = new TempFolder();
        var store = new FsArtifactStore(root.Path);
        var only = await ArtifactHistoryTests.SaveAsync(store, "v1\n");
        await using var client = new CodexClient(new ClientConfig());
        await using var manager = new ArtifactSessionManager(client, store);

        Assert.Equal(ArtifactErrorKind.NothingToUndo, (await Assert.ThrowsAsync<ArtifactException>(() => manager.UndoAsync("doc"))).Kind);
        Assert.Equal(ArtifactErrorKind.NothingToRedo, (await Assert.ThrowsAsync<ArtifactException>(() => manager.RedoAsync("doc"))).Kind);
        Assert.Equal(ArtifactErrorKind.NotFound, (await Assert.ThrowsAsync<ArtifactException>(() => manager.UndoAsync("missing"))).Kind);
        Assert.False((await manager.DiffAsync("doc", only.Revision, DocPatches.ComputeRevision("v1\n"))).HasChanges);
        Assert.Empty(await manager.ListRevisionsAsync("missing"));

        const string Bad = "bad\uD800";
        Assert.Equal(ArtifactErrorKind.InvalidId, (await Assert.ThrowsAsync<ArtifactException>(() => manager.RedoAsync(Bad))).Kind);
        Assert.Equal(ArtifactErrorKind.InvalidId, (await Assert.ThrowsAsync<ArtifactException>(() => manager.ListRevisionsAsync(Bad))).Kind);
        Assert.Equal(ArtifactErrorKind.InvalidId, (await Assert.ThrowsAsync<ArtifactException>(() => manager.DiffAsync(Bad, only.Revision, only.Revision))).Kind);
    }
}
