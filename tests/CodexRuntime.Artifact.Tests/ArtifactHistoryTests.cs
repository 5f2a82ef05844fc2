using CodexRuntime.Artifact.Patching;
using CodexRuntime.Artifact.Storage;
using CodexRuntime.Artifact.Tests.Support;

namespace CodexRuntime.Artifact.Tests;

/// <summary>
/// <see cref="ArtifactHistory"/> against the revisions a <see cref="FsArtifactStore"/> keeps: undo walks back through
/// the edits, redo forward again, a new save drops the redo path, each step is a new save with its links in the meta,
/// and a step that cannot be taken fails with its own kind and writes nothing.
/// </summary>
public sealed class ArtifactHistoryTests
{
    [Fact]
    public async Task Undo_three_times_then_redo_walks_back_and_forward_through_the_edits()
    {
        using var root = new TempFolder();
        var store = new FsArtifactStore(root.Path);
        var history = new ArtifactHistory(store);
        foreach (var text in new[] { "v1\n", "v2\n", "v3\n", "v4\n" })
        {
            await SaveAsync(store, text);
        }

        // (text, sequence, change, restored, undo, redo) after each step.
        Assert.Equal(("v3\n", 5L, ArtifactChange.Undo, 3L, 2L, 4L), Step(await history.UndoAsync("doc")));
        Assert.Equal(("v2\n", 6L, ArtifactChange.Undo, 2L, 1L, 5L), Step(await history.UndoAsync("doc")));
        Assert.Equal(("v1\n", 7L, ArtifactChange.Undo, 1L, 0L, 6L), Step(await history.UndoAsync("doc")));
        var nothing = await Assert.ThrowsAsync<ArtifactException>(() => history.UndoAsync("doc"));
        Assert.Equal(ArtifactErrorKind.NothingToUndo, nothing.Kind);
        Assert.Contains("nothing to undo", nothing.Message, StringComparison.Ordinal);

        Assert.Equal(("v2\n", 8L, ArtifactChange.Redo, 6L, 7L, 5L), Step(await history.RedoAsync("doc")));
        Assert.Equal(("v3\n", 9L, ArtifactChange.Redo, 5L, 8L, 4L), Step(await history.RedoAsync("doc")));

        // The store agrees: its current text and revision, and every step listed as a save of its own kind.
        var stored = (await store.LoadAsync("doc"))!;
        Assert.Equal(("v3\n", DocPatches.ComputeRevision("v3\n"), 9L), (stored.Text, stored.Revision, stored.Meta.Sequence));
        var listed = await store.ListRevisionsAsync("doc");
        Assert.Equal([9L, 8L, 7L, 6L, 5L, 4L, 3L, 2L, 1L], listed.Select(r => r.Sequence));
        Assert.Equal(
            [ArtifactChange.Redo, ArtifactChange.Redo, ArtifactChange.Undo, ArtifactChange.Undo, ArtifactChange.Undo, ArtifactChange.Save, ArtifactChange.Save, ArtifactChange.Save, ArtifactChange.Save],
            listed.Select(r => r.Change));
        Assert.Equal(listed[1].Revision, listed[0].PreviousRevision); // the chain of saves has no holes

        // Back where the edits ended, and no further.
        Assert.Equal(("v4\n", 10L, ArtifactChange.Redo, 4L, 9L, 0L), Step(await history.RedoAsync("doc")));
        Assert.Equal(ArtifactErrorKind.NothingToRedo, (await Assert.ThrowsAsync<ArtifactException>(() => history.RedoAsync("doc"))).Kind);
        Assert.Equal(10L, (await store.LoadAsync("doc"))!.Meta.Sequence);
    }

    [Fact]
    public async Task A_new_save_after_an_undo_drops_the_redo_path_and_undoes_to_the_text_it_replaced()
    {
        using var root = new TempFolder();
        var store = new FsArtifactStore(root.Path);
        var history = new ArtifactHistory(store);
        await SaveAsync(store, "v1\n");
        await SaveAsync(store, "v2\n");
        await SaveAsync(store, "v3\n");
        await history.UndoAsync("doc");

        var edited = await SaveAsync(store, "v2 edited\n");

        Assert.Equal((ArtifactChange.Save, 0L, 4L, 0L), (edited.Meta.Change, edited.Meta.RestoredSequence, edited.Meta.UndoSequence, edited.Meta.RedoSequence));
        var redo = await Assert.ThrowsAsync<ArtifactException>(() => history.RedoAsync("doc"));
        Assert.Equal(ArtifactErrorKind.NothingToRedo, redo.Kind);
        Assert.Contains("dropped the redo path", redo.Message, StringComparison.Ordinal);
        Assert.Equal("v2\n", (await history.UndoAsync("doc")).Text);
        Assert.Equal("v1\n", (await history.UndoAsync("doc")).Text);
        Assert.Equal("v2\n", (await history.RedoAsync("doc")).Text);
        Assert.Equal("v2 edited\n", (await history.RedoAsync("doc")).Text);
    }

    [Fact]
    public async Task Undo_stops_at_the_oldest_kept_revision_with_a_clear_error_and_redo_still_returns()
    {
        using var root = new TempFolder();
        var store = new FsArtifactStore(root.Path, new FsArtifactStoreOptions { KeptRevisions = 3 });
        var history = new ArtifactHistory(store);
        foreach (var text in new[] { "v1\n", "v2\n", "v3\n", "v4\n", "v5\n" })
        {
            await SaveAsync(store, text);
        }

        Assert.Equal("v4\n", (await history.UndoAsync("doc")).Text);
        Assert.Equal("v3\n", (await history.UndoAsync("doc")).Text);

        // Three kept revisions reach two steps; v2 (save 2) was dropped when save 4 was written.
        var dropped = await Assert.ThrowsAsync<ArtifactException>(() => history.UndoAsync("doc"));
        Assert.Equal(ArtifactErrorKind.RevisionNotKept, dropped.Kind);
        Assert.Contains("save 2", dropped.Message, StringComparison.Ordinal);
        Assert.Contains("KeptRevisions", dropped.Message, StringComparison.Ordinal);
        Assert.Equal(7L, (await store.LoadAsync("doc"))!.Meta.Sequence); // nothing was written

        // Retention kept what redo needs (the undone states), though newer saves than those existed.
        Assert.Equal("v4\n", (await history.RedoAsync("doc")).Text);
        Assert.Equal("v5\n", (await history.RedoAsync("doc")).Text);
        Assert.Equal(3, (await store.ListRevisionsAsync("doc")).Count);
    }

    [Fact]
    public async Task The_first_save_has_nothing_to_undo_and_a_missing_artifact_is_not_found()
    {
        using var root = new TempFolder();
        var store = new FsArtifactStore(root.Path);
        var history = new ArtifactHistory(store);

        Assert.Equal(ArtifactErrorKind.NotFound, (await Assert.ThrowsAsync<ArtifactException>(() => history.UndoAsync("doc"))).Kind);
        Assert.Equal(ArtifactErrorKind.NotFound, (await Assert.ThrowsAsync<ArtifactException>(() => history.RedoAsync("doc"))).Kind);
        await SaveAsync(store, "v1\n");
        Assert.Equal(ArtifactErrorKind.NothingToUndo, (await Assert.ThrowsAsync<ArtifactException>(() => history.UndoAsync("doc"))).Kind);
        Assert.Equal(ArtifactErrorKind.NothingToRedo, (await Assert.ThrowsAsync<ArtifactException>(() => history.RedoAsync("doc"))).Kind);
    }

    [Fact]
    public async Task A_save_expecting_a_sequence_fails_when_an_undo_and_a_redo_brought_the_same_text_back()
    {
        using var root = new TempFolder();
        var store = new FsArtifactStore(root.Path);
        var history = new ArtifactHistory(store);
        await SaveAsync(store, "v1\n");
        var seen = await SaveAsync(store, "v2\n");
        await history.UndoAsync("doc");
        await history.RedoAsync("doc"); // same text as 'seen', other links: the revision alone cannot tell

        var conflict = await Assert.ThrowsAsync<ArtifactException>(() =>
            store.SaveAsync("doc", new ArtifactSave(seen.Revision, "late\n", "Doc", "markdown", null) { ExpectedSequence = seen.Meta.Sequence }));

        Assert.Equal((ArtifactErrorKind.Conflict, seen.Revision), (conflict.Kind, conflict.ActualRevision));
        Assert.Contains("not the expected save 2", conflict.Message, StringComparison.Ordinal);
        Assert.Equal(("v2\n", 4L), ((await store.LoadAsync("doc"))!.Text, (await store.LoadAsync("doc"))!.Meta.Sequence));
    }

    [Fact]
    public async Task An_undo_save_whose_links_do_not_point_at_earlier_saves_is_refused()
    {
        using var root = new TempFolder();
        var store = new FsArtifactStore(root.Path);
        var first = await SaveAsync(store, "v1\n");

        var refused = await Assert.ThrowsAsync<ArgumentException>(() =>
            store.SaveAsync("doc", new ArtifactSave(first.Revision, "v0\n", "Doc", "markdown", null) { Change = ArtifactChange.Undo, RestoredSequence = 5 }));

        Assert.Contains("restored 5", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1L, (await store.LoadAsync("doc"))!.Meta.Sequence);
    }

    [Fact]
    public async Task Metas_written_before_the_links_existed_undo_to_the_save_before()
    {
        using var root = new TempFolder();
        var store = new FsArtifactStore(root.Path);
        await SaveAsync(store, "v1\n");
        await SaveAsync(store, "v2\n");
        await SaveAsync(store, "v3\n");
        // The earlier format: no change, restored, undo or redo fields in any meta.
        foreach (var file in Directory.EnumerateFiles(store.GetFolder("doc"), "*.json", SearchOption.AllDirectories))
        {
            var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            Assert.True(node.Remove("undoSequence"), file);
            node.Remove("redoSequence");
            File.WriteAllText(file, node.ToJsonString());
        }

        var history = new ArtifactHistory(store);
        Assert.Equal("v2\n", (await history.UndoAsync("doc")).Text);
        Assert.Equal("v1\n", (await history.UndoAsync("doc")).Text);
        Assert.Equal("v2\n", (await history.RedoAsync("doc")).Text);
    }

    [Fact]
    public async Task A_diff_between_two_kept_revisions_is_their_line_diff_in_either_order()
    {
        using var root = new TempFolder();
        var store = new FsArtifactStore(root.Path);
        var history = new ArtifactHistory(store);
        var first = await SaveAsync(store, "# Notes\n\n- one\n- two\n");
        await SaveAsync(store, "# Notes\n\n- one\n- two\n- three\n");
        var third = await SaveAsync(store, "# Notes\n\n- one, first\n- two\n- three\n");

        var forward = await history.DiffAsync("doc", first.Revision, third.Revision);
        var backward = await history.DiffAsync("doc", third.Revision, first.Revision);

        Assert.Equal((first.Revision, third.Revision, 1, 2), (forward.OldRevision, forward.NewRevision, forward.DeletedLines, forward.InsertedLines));
        Assert.Equal(third.Text, DocPatches.ApplyDocPatch(first.Text, forward.ToDocPatch()));
        Assert.Equal(first.Text, DocPatches.ApplyDocPatch(third.Text, backward.ToDocPatch()));
        Assert.Equal("--- r1\n+++ r3\n@@ -1,4 +1,5 @@\n # Notes\n \n-- one\n+- one, first\n - two\n+- three\n", forward.ToUnifiedDiff("r1", "r3"));
    }

    [Fact]
    public async Task A_diff_names_an_unknown_revision_as_not_found_and_a_dropped_one_as_not_kept()
    {
        using var root = new TempFolder();
        var store = new FsArtifactStore(root.Path, new FsArtifactStoreOptions { KeptRevisions = 2 });
        var history = new ArtifactHistory(store);
        var first = await SaveAsync(store, "v1\n");
        var second = await SaveAsync(store, "v2\n");
        var third = await SaveAsync(store, "v3\n");

        var dropped = await Assert.ThrowsAsync<ArtifactException>(() => history.DiffAsync("doc", first.Revision, third.Revision));
        var unknown = await Assert.ThrowsAsync<ArtifactException>(() => history.DiffAsync("doc", second.Revision, DocPatches.ComputeRevision("never\n")));
        var missing = await Assert.ThrowsAsync<ArtifactException>(() => history.DiffAsync("other", first.Revision, third.Revision));

        Assert.Equal(ArtifactErrorKind.RevisionNotKept, dropped.Kind);
        Assert.Contains(first.Revision, dropped.Message, StringComparison.Ordinal);
        Assert.Equal(ArtifactErrorKind.NotFound, unknown.Kind);
        Assert.Contains("ListRevisionsAsync", unknown.Message, StringComparison.Ordinal);
        Assert.Equal(ArtifactErrorKind.NotFound, missing.Kind);
        Assert.Equal(1, (await history.DiffAsync("doc", second.Revision, third.Revision)).DeletedLines);
    }

    private static (string Text, long Sequence, ArtifactChange Change, long Restored, long Undo, long Redo) Step(ArtifactRecord record)
    {
        Assert.Equal(DocPatches.ComputeRevision(record.Text), record.Revision);
        return (record.Text, record.Meta.Sequence, record.Meta.Change, record.Meta.RestoredSequence, record.Meta.UndoSequence, record.Meta.RedoSequence);
    }

    /// <summary>An ordinary save of "doc" over whatever is stored.</summary>
    internal static async Task<ArtifactRecord> SaveAsync(IArtifactStore store, string text, string id = "doc")
    {
        var current = await store.LoadAsync(id);
        return await store.SaveAsync(id, new ArtifactSave(current?.Revision, text, "Doc", "markdown", null));
    }
}
