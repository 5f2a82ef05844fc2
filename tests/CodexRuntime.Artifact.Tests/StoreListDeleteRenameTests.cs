using CodexRuntime.Artifact.Storage;
using CodexRuntime.Artifact.Tests.Support;

namespace CodexRuntime.Artifact.Tests;

/// <summary>The file store's listing (paging by id), delete and rename: content kept, locks honoured, damage reported.</summary>
public sealed class StoreListDeleteRenameTests
{
    /// <summary>Bounds every wait of these tests; the lock timeouts below are shorter, so a regression fails fast.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static readonly FsArtifactStoreOptions Impatient = new() { LockTimeout = TimeSpan.FromMilliseconds(300) };

    [Fact]
    public async Task Twenty_five_artifacts_in_pages_of_ten_come_back_once_each_in_id_order()
    {
        using var root = new TempFolder();
        var store = new FsArtifactStore(root.Path);
        var ids = Enumerable.Range(0, 25).Select(i => $"doc-{i:D2}").ToList();
        var saved = new Dictionary<string, ArtifactRecord>();
        foreach (var id in ids.OrderBy(i => i.GetHashCode(StringComparison.Ordinal)))
        {
            saved[id] = await store.SaveAsync(id, new ArtifactSave(null, $"text of {id}\n", $"Title {id}", "text", null));
        }

        var pages = await AllPages(store, 10);

        Assert.Equal([10, 10, 5], pages.Select(p => p.Items.Count));
        Assert.Equal([true, true, false], pages.Select(p => p.ContinuationToken is not null));
        Assert.Equal(ids, pages.SelectMany(p => p.Items).Select(e => e.ArtifactId));
        foreach (var entry in pages.SelectMany(p => p.Items))
        {
            var record = saved[entry.ArtifactId];
            Assert.Equal((record.Meta.Title, record.Meta.Format, record.Revision, record.Meta.SavedAt, 1L), (entry.Title, entry.Format, entry.Revision, entry.UpdatedAt, entry.Sequence));
        }
    }

    [Fact]
    public async Task Artifacts_added_or_deleted_while_paging_never_make_another_one_skipped_or_repeated()
    {
        using var root = new TempFolder();
        var store = new FsArtifactStore(root.Path);
        var ids = Enumerable.Range(0, 20).Select(i => $"m{i * 2:D2}").ToList(); // m00, m02, ... m38
        foreach (var id in ids)
        {
            await store.SaveAsync(id, new ArtifactSave(null, id, id, "markdown", null));
        }

        var first = await store.ListAsync(5);
        Assert.Equal(ids.Take(5), first.Items.Select(e => e.ArtifactId));

        // Before the cursor (never shown now), after it (shown in order), and one not yet listed deleted.
        await store.SaveAsync("m01", new ArtifactSave(null, "x", "x", "markdown", null));
        await store.SaveAsync("m21", new ArtifactSave(null, "x", "x", "markdown", null));
        await store.SaveAsync("a-first", new ArtifactSave(null, "x", "x", "markdown", null));
        Assert.True(await store.DeleteAsync("m30"));

        var listed = first.Items.Select(e => e.ArtifactId).ToList();
        var token = first.ContinuationToken;
        while (token is not null)
        {
            var page = await store.ListAsync(5, token);
            listed.AddRange(page.Items.Select(e => e.ArtifactId));
            token = page.ContinuationToken;
        }

        var expected = ids.Where(i => i != "m30").Append("m21").Order(StringComparer.Ordinal);
        Assert.Equal(expected, listed);
    }

    [Fact]
    public async Task Damaged_folders_are_left_out_without_breaking_the_listing_and_bad_arguments_are_refused()
    {
        using var root = new TempFolder();
        var store = new FsArtifactStore(Path.Combine(root.Path, "store"));
        Assert.Equal((0, (string?)null), ((await store.ListAsync()).Items.Count, (await store.ListAsync()).ContinuationToken)); // no root yet

        foreach (var id in new[] { "good-1", "bad-json", "text-only", "good-2" })
        {
            await store.SaveAsync(id, new ArtifactSave(null, id, id, "markdown", null));
        }

        await File.WriteAllTextAsync(Path.Combine(store.GetFolder("bad-json"), "meta.json"), "{ not json");
        File.Delete(Path.Combine(store.GetFolder("text-only"), "meta.json"));
        CopyFolder(store.GetFolder("good-1"), Path.Combine(store.Root, "copied-by-hand"));
        Assert.Null(await store.LoadAsync("never-saved")); // leaves a folder holding no artifact

        var page = await store.ListAsync(IArtifactStore.MaxPageSize);

        Assert.Equal(["good-1", "good-2"], page.Items.Select(e => e.ArtifactId));
        Assert.Null(page.ContinuationToken);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.ListAsync(0));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.ListAsync(IArtifactStore.MaxPageSize + 1));
        await Assert.ThrowsAsync<ArgumentException>(() => store.ListAsync(10, "made-up"));
        await Assert.ThrowsAsync<ArgumentException>(() => store.ListAsync(10, "a1.!!"));
    }

    [Fact]
    public async Task A_deleted_artifact_no_longer_loads_or_lists_and_its_id_can_start_again()
    {
        using var root = new TempFolder();
        var store = new FsArtifactStore(root.Path);
        var first = await store.SaveAsync("doc", new ArtifactSave(null, "one\n", "Doc", "markdown", null));
        await store.SaveAsync("doc", new ArtifactSave(first.Revision, "two\n", "Doc", "markdown", null));
        await store.SaveAsync("other", new ArtifactSave(null, "x", "Other", "markdown", null));

        Assert.True(await store.DeleteAsync("doc"));

        Assert.Null(await store.LoadAsync("doc"));
        Assert.Empty(await store.ListRevisionsAsync("doc"));
        Assert.Null(await store.LoadRevisionAsync("doc", first.Revision));
        Assert.Equal(["other"], (await store.ListAsync()).Items.Select(e => e.ArtifactId));
        Assert.False(await store.DeleteAsync("doc"));
        Assert.False(await store.DeleteAsync("never-saved"));
        Assert.Equal(ArtifactErrorKind.InvalidId, (await Assert.ThrowsAsync<ArtifactException>(() => store.DeleteAsync("bad\uD800"))).Kind);
        var again = await store.SaveAsync("doc", new ArtifactSave(null, "new\n", "Doc", "markdown", null));
        Assert.Equal((1L, (string?)null), (again.Meta.Sequence, again.Meta.PreviousRevision));
    }

    [Fact]
    public async Task A_delete_that_crashed_after_its_mark_reads_as_deleted_and_is_finished_by_the_next_call()
    {
        using var root = new TempFolder();
        var store = new FsArtifactStore(root.Path);
        await store.SaveAsync("doc", new ArtifactSave(null, "one\n", "Doc", "markdown", null));
        var folder = store.GetFolder("doc");
        File.Move(Path.Combine(folder, "meta.json"), Path.Combine(folder, ".deleted")); // the delete's first step, then a crash

        Assert.Empty((await store.ListAsync()).Items);
        Assert.Null(await store.LoadAsync("doc"));
        // The load (under the lock) finished the removal: only lock files may remain.
        Assert.DoesNotContain(Directory.GetFileSystemEntries(folder).Select(Path.GetFileName), n => n is not (".lock" or ".lock.guard"));
    }

    [Fact]
    public async Task A_rename_keeps_text_meta_and_every_kept_revision_and_the_old_id_is_gone()
    {
        using var root = new TempFolder();
        var store = new FsArtifactStore(root.Path);
        string? revision = null;
        var revisions = new List<string>();
        for (var i = 1; i <= 3; i++)
        {
            revision = (await store.SaveAsync("old", new ArtifactSave(revision, $"version {i}\n", "Title", "text", "thread-1"))).Revision;
            revisions.Add(revision);
        }

        var before = (await store.LoadAsync("old"))!;
        var kept = await store.ListRevisionsAsync("old");

        var renamed = await store.RenameAsync("old", "new");

        Assert.Equal(("new", before.Text, before.Meta), (renamed.ArtifactId, renamed.Text, renamed.Meta));
        var loaded = (await store.LoadAsync("new"))!;
        Assert.Equal(("new", before.Text, before.Meta, false), (loaded.ArtifactId, loaded.Text, loaded.Meta, loaded.RevisionRepaired));
        Assert.Equal(kept, await store.ListRevisionsAsync("new"));
        Assert.Equal("version 1\n", (await store.LoadRevisionAsync("new", revisions[0]))!.Text);
        Assert.Null(await store.LoadAsync("old"));
        Assert.Empty(await store.ListRevisionsAsync("old"));
        Assert.Equal(["new"], (await store.ListAsync()).Items.Select(e => e.ArtifactId));
        var next = await store.SaveAsync("new", new ArtifactSave(loaded.Revision, "version 4\n", "Title", "text", "thread-1"));
        Assert.Equal((4L, loaded.Revision), (next.Meta.Sequence, next.Meta.PreviousRevision));
    }

    [Fact]
    public async Task A_rename_onto_an_existing_id_or_of_a_missing_one_changes_nothing()
    {
        using var root = new TempFolder();
        var store = new FsArtifactStore(root.Path);
        var a = await store.SaveAsync("a", new ArtifactSave(null, "a\n", "A", "markdown", null));
        var b = await store.SaveAsync("b", new ArtifactSave(null, "b\n", "B", "markdown", null));

        var conflict = await Assert.ThrowsAsync<ArtifactException>(() => store.RenameAsync("a", "b"));
        Assert.Equal((ArtifactErrorKind.Conflict, "b", b.Revision), (conflict.Kind, conflict.ArtifactId, conflict.ActualRevision));
        Assert.Equal(ArtifactErrorKind.Conflict, (await Assert.ThrowsAsync<ArtifactException>(() => store.RenameAsync("a", "a"))).Kind);
        Assert.Equal(ArtifactErrorKind.NotFound, (await Assert.ThrowsAsync<ArtifactException>(() => store.RenameAsync("missing", "c"))).Kind);
        Assert.Equal(ArtifactErrorKind.NotFound, (await Assert.ThrowsAsync<ArtifactException>(() => store.RenameAsync("missing", "missing"))).Kind);
        Assert.Equal(ArtifactErrorKind.InvalidId, (await Assert.ThrowsAsync<ArtifactException>(() => store.RenameAsync("a", "\uDC00x"))).Kind);

        Assert.Equal(("a\n", a.Revision), ((await store.LoadAsync("a"))!.Text, (await store.LoadAsync("a"))!.Revision));
        Assert.Equal(("b\n", b.Revision), ((await store.LoadAsync("b"))!.Text, (await store.LoadAsync("b"))!.Revision));
        Assert.Equal([a.Revision], (await store.ListRevisionsAsync("a")).Select(r => r.Revision));
        Assert.Equal([b.Revision], (await store.ListRevisionsAsync("b")).Select(r => r.Revision));
        Assert.Equal(["a", "b"], (await store.ListAsync()).Items.Select(e => e.ArtifactId));
    }

    [Fact]
    public async Task A_rename_whose_write_fails_leaves_the_old_id_whole_and_no_trace_of_the_new_one()
    {
        using var root = new TempFolder();
        var store = new FsArtifactStore(root.Path);
        var first = await store.SaveAsync("old", new ArtifactSave(null, "one\n", "Old", "markdown", null));
        var second = await store.SaveAsync("old", new ArtifactSave(first.Revision, "two\n", "Old", "markdown", null));
        store.BeforeWrite = name => _ = name == "meta.json" ? throw new IOException("disk full (test)") : 0;

        await Assert.ThrowsAsync<IOException>(() => store.RenameAsync("old", "new"));

        store.BeforeWrite = null;
        Assert.Null(await store.LoadAsync("new"));
        Assert.Empty(await store.ListRevisionsAsync("new"));
        Assert.Equal(("two\n", second.Revision), ((await store.LoadAsync("old"))!.Text, (await store.LoadAsync("old"))!.Revision));
        Assert.Equal([second.Revision, first.Revision], (await store.ListRevisionsAsync("old")).Select(r => r.Revision));
        Assert.Equal("two\n", (await store.RenameAsync("old", "new")).Text);
    }

    [Fact]
    public async Task The_holder_deletes_and_renames_under_its_held_lock_while_another_flow_waits()
    {
        using var root = new TempFolder();
        var store = new FsArtifactStore(root.Path, new FsArtifactStoreOptions { LockTimeout = Deadline });
        await store.SaveAsync("doc", new ArtifactSave(null, "doc\n", "Doc", "markdown", null));
        await store.SaveAsync("gone", new ArtifactSave(null, "gone\n", "Gone", "markdown", null));
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        store.LockWaiting = _ => waiting.TrySetResult();

        Task<bool> otherDelete;
        await using (await store.LockAsync("doc"))
        {
            await using (await store.LockAsync("gone"))
            {
                Assert.True(await store.DeleteAsync("gone"));
            }

            Assert.Equal("doc\n", (await store.RenameAsync("doc", "doc-2")).Text);
            await store.SaveAsync("doc", new ArtifactSave(null, "fresh\n", "Doc", "markdown", null));

            otherDelete = OtherFlow.Run(() => store.DeleteAsync("doc"));
            await waiting.Task.WaitAsync(Deadline);
            Assert.False(otherDelete.IsCompleted);
        }

        Assert.True(await otherDelete.WaitAsync(Deadline));
        Assert.Equal(["doc-2"], (await store.ListAsync()).Items.Select(e => e.ArtifactId));
    }

    [Fact]
    public async Task Delete_and_rename_wait_for_another_process_holding_either_lock_and_time_out()
    {
        using var root = new TempFolder();
        var store = new FsArtifactStore(root.Path, new FsArtifactStoreOptions { LockTimeout = Deadline });
        await store.SaveAsync("doc", new ArtifactSave(null, "doc\n", "Doc", "markdown", null));
        await store.SaveAsync("other", new ArtifactSave(null, "other\n", "Other", "markdown", null));
        await using var holder = ChildProcess.Start(ChildProcess.BuiltDll("tests", "CodexRuntime.Artifact.StoreWorker"), ["hold", root.Path, "doc"]);
        Assert.Equal($"locked {holder.Id}", await holder.ReadLineAsync());

        var impatient = new FsArtifactStore(root.Path, Impatient);
        Assert.Equal(ArtifactErrorKind.LockTimeout, (await Assert.ThrowsAsync<ArtifactException>(() => impatient.DeleteAsync("doc"))).Kind);
        Assert.Equal(ArtifactErrorKind.LockTimeout, (await Assert.ThrowsAsync<ArtifactException>(() => impatient.RenameAsync("doc", "renamed"))).Kind);
        Assert.Equal(ArtifactErrorKind.LockTimeout, (await Assert.ThrowsAsync<ArtifactException>(() => impatient.RenameAsync("other", "doc"))).Kind);
        Assert.Equal(["doc", "other"], (await store.ListAsync()).Items.Select(e => e.ArtifactId));

        await holder.KillAsync(); // its lock is taken over once its owner is dead
        Assert.Equal("doc\n", (await store.RenameAsync("doc", "renamed").WaitAsync(Deadline)).Text);
        Assert.True(await store.DeleteAsync("other").WaitAsync(Deadline));
        Assert.Equal(["renamed"], (await store.ListAsync()).Items.Select(e => e.ArtifactId));
    }

    private static async Task<List<ArtifactPage>> AllPages(IArtifactStore store, int pageSize)
    {
        var pages = new List<ArtifactPage>();
        string? token = null;
        do
        {
            var page = await store.ListAsync(pageSize, token);
            pages.Add(page);
            token = page.ContinuationToken;
        }
        while (token is not null && pages.Count < 100);

        return pages;
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }
}
