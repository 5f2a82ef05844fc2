using System.Text;
using CodexRuntime.Artifact.Patching;
using CodexRuntime.Artifact.Storage;
using CodexRuntime.Artifact.Tests.Support;

namespace CodexRuntime.Artifact.Tests;

/// <summary>The file store in one process: folders for hostile ids, compare-and-swap, roll-back, repair, kept revisions, the lock.</summary>
public sealed class FsArtifactStoreTests
{
    private static readonly string[] Ids =
    [
        "../x", "a/b", @"C:\x", new string('n', 300), "nul\0byte", "caf\u00e9", "cafe\u0301", "..", ".", "/etc/passwd", @"\\server\share", "a/../../b", "CON", "x:y*z?", " ",
    ];

    // By index: a NUL or a lone path separator in a test's display name helps no test runner.
    public static TheoryData<int> HostileIds => new(Enumerable.Range(0, Ids.Length));

    [Fact]
    public async Task Hostile_ids_stay_under_the_root_and_never_share_a_folder()
    {
        using var root = new TempFolder();
        var store = new FsArtifactStore(Path.Combine(root.Path, "store"));
        var ids = Ids.ToList();
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal("caf\u00e9".Normalize(NormalizationForm.FormC), "cafe\u0301".Normalize(NormalizationForm.FormC)); // the same text to a reader

        foreach (var id in ids)
        {
            await store.SaveAsync(id, new ArtifactSave(null, $"text of {id}", "t", "markdown", null));
        }

        var folders = ids.Select(store.GetFolder).ToList();
        Assert.Equal(ids.Count, folders.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        foreach (var (id, folder) in ids.Zip(folders))
        {
            Assert.Equal(store.Root, Path.GetDirectoryName(folder));
            Assert.True(Path.GetFileName(folder).Length < 100, folder);
            Assert.Equal($"text of {id}", (await store.LoadAsync(id))!.Text);
        }

        // Nothing was written anywhere but in those folders.
        Assert.Equal(folders.Order(StringComparer.Ordinal), Directory.GetDirectories(store.Root).Order(StringComparer.Ordinal));
        Assert.Equal(["store"], Directory.GetFileSystemEntries(root.Path).Select(Path.GetFileName));
    }

    [Theory]
    [MemberData(nameof(HostileIds))]
    public void The_folder_of_a_hostile_id_is_a_direct_child_of_the_root(int index)
    {
        var id = Ids[index];
        var store = new FsArtifactStore("/srv/artifacts");
        var folder = store.GetFolder(id);
        Assert.Equal("/srv/artifacts", Path.GetDirectoryName(Path.GetFullPath(folder)));
        Assert.Matches("^[A-Za-z0-9_-]+-[0-9a-f]{32}$", Path.GetFileName(folder));
    }

    [Fact]
    public async Task A_save_swaps_only_from_the_expected_revision()
    {
        using var root = new TempFolder();
        var store = new FsArtifactStore(root.Path);
        var first = await store.SaveAsync("doc", new ArtifactSave(null, "one\r\n", "Doc", "markdown", "thread-1"));
        Assert.Equal((DocPatches.ComputeRevision("one\r\n"), 1L, (string?)null), (first.Revision, first.Meta.Sequence, first.Meta.PreviousRevision));

        var again = await Assert.ThrowsAsync<ArtifactException>(() => store.SaveAsync("doc", new ArtifactSave(null, "other", "Doc", "markdown", null)));
        Assert.Equal((ArtifactErrorKind.Conflict, (string?)null, first.Revision), (again.Kind, again.ExpectedRevision, again.ActualRevision));
        var stale = await Assert.ThrowsAsync<ArtifactException>(() => store.SaveAsync("doc", new ArtifactSave(DocPatches.ComputeRevision("zero"), "other", "Doc", "markdown", null)));
        Assert.Equal(ArtifactErrorKind.Conflict, stale.Kind);
        var none = await Assert.ThrowsAsync<ArtifactException>(() => store.SaveAsync("new", new ArtifactSave(first.Revision, "x", "Doc", "markdown", null)));
        Assert.Null(none.ActualRevision);

        var second = await store.SaveAsync("doc", new ArtifactSave(first.Revision, "one\r\ntwo\n", "Doc 2", "text", "thread-1"));
        Assert.Equal((2L, first.Revision), (second.Meta.Sequence, second.Meta.PreviousRevision));
        var loaded = await store.LoadAsync("doc");
        Assert.Equal(("one\r\ntwo\n", second.Revision, "Doc 2", "text", "thread-1", false), (loaded!.Text, loaded.Revision, loaded.Meta.Title, loaded.Meta.Format, loaded.Meta.RuntimeThreadId, loaded.RevisionRepaired));
        Assert.Null(await store.LoadAsync("never-saved"));
    }

    [Fact]
    public async Task A_failed_meta_write_rolls_the_text_back_and_keeps_no_trace()
    {
        using var root = new TempFolder();
        var store = new FsArtifactStore(root.Path);
        var first = await store.SaveAsync("doc", new ArtifactSave(null, "kept\n", "Doc", "markdown", null));
        store.BeforeWrite = name => _ = name == "meta.json" ? throw new IOException("disk full (test)") : 0;

        await Assert.ThrowsAsync<IOException>(() => store.SaveAsync("doc", new ArtifactSave(first.Revision, "lost\n", "Doc", "markdown", null)));

        store.BeforeWrite = null;
        var loaded = await store.LoadAsync("doc");
        Assert.Equal(("kept\n", first.Revision, 1L, false), (loaded!.Text, loaded.Revision, loaded.Meta.Sequence, loaded.RevisionRepaired));
        Assert.Equal([first.Revision], (await store.ListRevisionsAsync("doc")).Select(r => r.Revision));
        Assert.Empty(Directory.GetFiles(store.GetFolder("doc"), "*.tmp", SearchOption.AllDirectories));
        Assert.Equal(2, (await store.SaveAsync("doc", new ArtifactSave(first.Revision, "next\n", "Doc", "markdown", null))).Meta.Sequence);
    }

    [Fact]
    public async Task A_text_changed_outside_a_save_is_read_with_its_own_revision()
    {
        using var root = new TempFolder();
        var store = new FsArtifactStore(root.Path);
        await store.SaveAsync("doc", new ArtifactSave(null, "saved\n", "Doc", "markdown", null));
        await File.WriteAllTextAsync(Path.Combine(store.GetFolder("doc"), "text"), "edited by hand\n");

        var loaded = await store.LoadAsync("doc");

        Assert.Equal(("edited by hand\n", DocPatches.ComputeRevision("edited by hand\n"), true), (loaded!.Text, loaded.Revision, loaded.RevisionRepaired));
        var saved = await store.SaveAsync("doc", new ArtifactSave(loaded.Revision, "next\n", "Doc", "markdown", null));
        Assert.Equal(loaded.Revision, saved.Meta.PreviousRevision);
    }

    [Fact]
    public async Task Text_round_trips_byte_for_byte_including_a_leading_byte_order_mark()
    {
        using var root = new TempFolder();
        var store = new FsArtifactStore(root.Path);
        const string Text = "\uFEFFfirst\r\nsecond\nthird\r";
        var saved = await store.SaveAsync("bom", new ArtifactSave(null, Text, "Doc", "markdown", null));

        var loaded = await store.LoadAsync("bom");

        Assert.Equal((Text, saved.Revision, false), (loaded!.Text, loaded.Revision, loaded.RevisionRepaired));
    }

    [Fact]
    public async Task The_last_revisions_are_kept_newest_first_and_older_ones_pruned()
    {
        using var root = new TempFolder();
        var store = new FsArtifactStore(root.Path, new FsArtifactStoreOptions { KeptRevisions = 3 });
        string? revision = null;
        var revisions = new List<string>();
        for (var i = 1; i <= 5; i++)
        {
            revision = (await store.SaveAsync("doc", new ArtifactSave(revision, $"version {i}\n", "Doc", "markdown", null))).Revision;
            revisions.Add(revision);
        }

        var kept = await store.ListRevisionsAsync("doc");
        Assert.Equal([revisions[4], revisions[3], revisions[2]], kept.Select(r => r.Revision));
        Assert.Equal([5L, 4L, 3L], kept.Select(r => r.Sequence));
        Assert.Equal("version 4\n", (await store.LoadRevisionAsync("doc", revisions[3]))!.Text);
        Assert.Null(await store.LoadRevisionAsync("doc", revisions[0]));
        Assert.Empty(await store.ListRevisionsAsync("never-saved"));
    }

    [Fact]
    public async Task A_held_lock_makes_other_callers_wait_until_its_deadline_then_fail()
    {
        using var root = new TempFolder();
        var holder = new FsArtifactStore(root.Path);
        var waiter = new FsArtifactStore(root.Path, new FsArtifactStoreOptions { LockTimeout = TimeSpan.FromMilliseconds(200) });
        await holder.SaveAsync("doc", new ArtifactSave(null, "x", "Doc", "markdown", null));

        await using (await holder.LockAsync("doc"))
        {
            // In a flow of its own: calls in the holder's flow run under the held lock (HeldLockTests).
            var timeout = await OtherFlow.Run(() => Assert.ThrowsAsync<ArtifactException>(() => waiter.LoadAsync("doc"))).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(ArtifactErrorKind.LockTimeout, timeout.Kind);
        }

        Assert.Equal("x", (await waiter.LoadAsync("doc"))!.Text);
    }

    [Fact]
    public async Task A_lock_file_left_by_a_dead_owner_or_a_reused_pid_is_taken_over()
    {
        using var root = new TempFolder();
        var store = new FsArtifactStore(root.Path, new FsArtifactStoreOptions { LockTimeout = TimeSpan.FromSeconds(30) });
        await store.SaveAsync("doc", new ArtifactSave(null, "x", "Doc", "markdown", null));
        var lockFile = Path.Combine(store.GetFolder("doc"), ".lock");

        // This very pid, but "started" at another time: the pid was reused, its owner is gone.
        await File.WriteAllTextAsync(lockFile, $$"""{"pid":{{Environment.ProcessId}},"startTime":"1","host":"{{Environment.MachineName}}","nonce":"old"}""");
        Assert.Equal("x", (await store.LoadAsync("doc"))!.Text);
        Assert.False(File.Exists(lockFile));

        // A live pid with its true start time holds the lock.
        await File.WriteAllTextAsync(lockFile, $$"""{"pid":{{Environment.ProcessId}},"startTime":"{{LockOwner.StartTimeOf(Environment.ProcessId)}}","host":"{{Environment.MachineName}}","nonce":"live"}""");
        var waiter = new FsArtifactStore(root.Path, new FsArtifactStoreOptions { LockTimeout = TimeSpan.FromMilliseconds(200) });
        Assert.Equal(ArtifactErrorKind.LockTimeout, (await Assert.ThrowsAsync<ArtifactException>(() => waiter.LoadAsync("doc"))).Kind);
    }

    [Fact]
    public async Task A_pid_only_lock_file_is_taken_over_once_its_pid_is_gone_and_holds_while_it_runs()
    {
        using var root = new TempFolder();
        var store = new FsArtifactStore(root.Path, new FsArtifactStoreOptions { LockTimeout = TimeSpan.FromSeconds(30) });
        await store.SaveAsync("doc", new ArtifactSave(null, "x", "Doc", "markdown", null));
        var lockFile = Path.Combine(store.GetFolder("doc"), ".lock");
        using (var gone = System.Diagnostics.Process.Start("true")!)
        {
            await gone.WaitForExitAsync();
            await File.WriteAllTextAsync(lockFile, $"{gone.Id}\n");
        }

        Assert.Equal("x", (await store.LoadAsync("doc"))!.Text);

        await File.WriteAllTextAsync(lockFile, $"{Environment.ProcessId}");
        var waiter = new FsArtifactStore(root.Path, new FsArtifactStoreOptions { LockTimeout = TimeSpan.FromMilliseconds(200) });
        Assert.Equal(ArtifactErrorKind.LockTimeout, (await Assert.ThrowsAsync<ArtifactException>(() => waiter.LoadAsync("doc"))).Kind);
    }

    [Fact]
    public async Task Concurrent_callers_in_one_process_lose_no_update()
    {
        using var root = new TempFolder();
        var store = new FsArtifactStore(root.Path);
        await store.SaveAsync("doc", new ArtifactSave(null, string.Empty, "Doc", "markdown", null));

        await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                while (true)
                {
                    var current = (await store.LoadAsync("doc"))!;
                    try
                    {
                        await store.SaveAsync("doc", new ArtifactSave(current.Revision, current.Text + $"{worker} {i}\n", "Doc", "markdown", null));
                        break;
                    }
                    catch (ArtifactException ex) when (ex.Kind == ArtifactErrorKind.Conflict)
                    {
                        // lost the race: read again
                    }
                }
            }
        })));

        var final = (await store.LoadAsync("doc"))!;
        Assert.Equal(100, DocPatches.CountLines(final.Text));
        Assert.Equal(101L, final.Meta.Sequence);
    }

    [Fact]
    public void A_taken_lock_file_is_recognized_from_the_error_CreateNew_gives()
    {
        var path = Path.GetTempFileName();
        try
        {
            var error = Assert.ThrowsAny<IOException>(() => new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read).Dispose());
            Assert.True(ArtifactFileLock.AlreadyExists(error), $"HResult {error.HResult}");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
