using CodexRuntime.Artifact.Storage;
using CodexRuntime.Artifact.Tests.Support;

namespace CodexRuntime.Artifact.Tests;

/// <summary>
/// <see cref="FsArtifactStore.LockAsync"/> held for several calls: the holder's own calls (and the manager's undo) run
/// under it, while another async flow in this process and another process still wait for it.
/// </summary>
public sealed class HeldLockTests
{
    /// <summary>Bounds every wait of these tests; the lock timeouts below are shorter, so a regression fails fast.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static readonly FsArtifactStoreOptions Short = new() { LockTimeout = TimeSpan.FromSeconds(2) };

    [Fact]
    public async Task The_holder_loads_saves_lists_and_undoes_under_its_held_lock()
    {
        using var root = new TempFolder();
        var store = new FsArtifactStore(root.Path, Short);
        var first = await store.SaveAsync("doc", new ArtifactSave(null, "one\n", "Doc", "markdown", null));
        await using var client = new CodexClient(new ClientConfig());
        await using var manager = new ArtifactSessionManager(client, store);

        await using (await store.LockAsync("doc"))
        {
            var loaded = (await store.LoadAsync("doc"))!;
            var second = await store.SaveAsync("doc", new ArtifactSave(loaded.Revision, "two\n", "Doc", "markdown", null));
            Assert.Equal([second.Revision, first.Revision], (await store.ListRevisionsAsync("doc")).Select(r => r.Revision));
            Assert.Equal("one\n", (await store.LoadRevisionAsync("doc", first.Revision))!.Text);

            // A nested LockAsync in the holding flow is part of the outer hold, and so is another store on the root.
            await using (await store.LockAsync("doc"))
            {
                Assert.Equal("two\n", (await new FsArtifactStore(root.Path, Short).LoadAsync("doc"))!.Text);
            }

            var undone = await manager.UndoAsync("doc");
            Assert.Equal(("one\n", 3L), (undone.Text, undone.Meta.Sequence));
        }

        // Released: the lock file is gone and anyone can take the lock again.
        Assert.False(File.Exists(Path.Combine(store.GetFolder("doc"), ".lock")));
        await using (await new FsArtifactStore(root.Path, Short).LockAsync("doc").WaitAsync(Deadline))
        {
        }

        Assert.Null(client.ProcessId);
    }

    [Fact]
    public async Task Work_the_holder_forks_shares_the_hold_but_its_calls_run_one_at_a_time()
    {
        using var root = new TempFolder();
        var store = new FsArtifactStore(root.Path, new FsArtifactStoreOptions { LockTimeout = Deadline });
        var saved = await store.SaveAsync("doc", new ArtifactSave(null, "before\n", "Doc", "markdown", null));
        var inWrite = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        store.LockWaiting = _ => waiting.TrySetResult();

        await using (await store.LockAsync("doc"))
        {
            // Both inherit the holder's flow (Task.Run), so both run under the hold; the save stops inside its writes.
            store.BeforeWrite = _ =>
            {
                inWrite.TrySetResult();
                Assert.True(resume.Task.Wait(Deadline), "the test never resumed the save");
            };
            var save = Task.Run(() => store.SaveAsync("doc", new ArtifactSave(saved.Revision, "after\n", "Doc", "markdown", null)));
            await inWrite.Task.WaitAsync(Deadline);
            store.BeforeWrite = null;
            var load = Task.Run(() => store.LoadAsync("doc"));

            // The load waits for the save instead of reading between its writes (a compare-and-swap must be alone).
            Assert.Same(waiting.Task, await Task.WhenAny(load, waiting.Task).WaitAsync(Deadline));
            Assert.False(load.IsCompleted);
            resume.SetResult();

            await save.WaitAsync(Deadline);
            Assert.Equal("after\n", (await load.WaitAsync(Deadline))!.Text);
        }
    }

    [Fact]
    public async Task Another_async_flow_in_this_process_waits_for_the_holder_and_runs_only_after_release()
    {
        using var root = new TempFolder();
        var store = new FsArtifactStore(root.Path, new FsArtifactStoreOptions { LockTimeout = Deadline });
        var saved = await store.SaveAsync("doc", new ArtifactSave(null, "before\n", "Doc", "markdown", null));
        var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        store.LockWaiting = _ => waiting.TrySetResult();
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var released = 0;

        // Started before the lock is taken, so it is not part of the holder's async flow.
        var other = Task.Run(async () =>
        {
            await go.Task;
            var record = await store.LoadAsync("doc");
            return (record!.Text, ReleasedFirst: Volatile.Read(ref released) == 1);
        });

        await using (var held = await store.LockAsync("doc"))
        {
            go.SetResult();
            await waiting.Task.WaitAsync(Deadline);
            Assert.False(other.IsCompleted);

            // The holder's own save goes through while the other flow waits.
            await store.SaveAsync("doc", new ArtifactSave(saved.Revision, "during\n", "Doc", "markdown", null));

            // A flow that does not hold the lock and cannot wait long gets LockTimeout, as before.
            var impatient = new FsArtifactStore(root.Path, new FsArtifactStoreOptions { LockTimeout = TimeSpan.FromMilliseconds(200) });
            var timeout = await OtherFlow.Run(() => Assert.ThrowsAsync<ArtifactException>(() => impatient.LoadAsync("doc"))).WaitAsync(Deadline);
            Assert.Equal(ArtifactErrorKind.LockTimeout, timeout.Kind);
            Assert.False(other.IsCompleted);

            Volatile.Write(ref released, 1);
        }

        var (text, releasedFirst) = await other.WaitAsync(Deadline);
        Assert.True(releasedFirst, "the other flow loaded while the lock was held");
        Assert.Equal("during\n", text);
    }

    [Fact]
    public async Task A_flow_started_inside_the_hold_is_released_with_it_and_then_takes_the_lock_itself()
    {
        using var root = new TempFolder();
        var store = new FsArtifactStore(root.Path, Short);
        var saved = await store.SaveAsync("doc", new ArtifactSave(null, "a\n", "Doc", "markdown", null));
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<ArtifactRecord?> late;
        await using (await store.LockAsync("doc"))
        {
            // Inherits the holder's flow but runs after the release: it must take the lock like anyone else.
            late = Task.Run(async () =>
            {
                await go.Task;
                return await store.LoadAsync("doc");
            });
        }

        await using (await store.LockAsync("doc").WaitAsync(Deadline))
        {
            go.SetResult();
            await store.SaveAsync("doc", new ArtifactSave(saved.Revision, "b\n", "Doc", "markdown", null));
        }

        Assert.Equal("b\n", (await late.WaitAsync(Deadline))!.Text);
    }

    [Fact]
    public async Task A_LockAsync_that_timed_out_gives_its_flow_no_hold()
    {
        using var root = new TempFolder();
        var store = new FsArtifactStore(root.Path, new FsArtifactStoreOptions { LockTimeout = Deadline });
        await store.SaveAsync("doc", new ArtifactSave(null, "x", "Doc", "markdown", null));
        var taken = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holder = OtherFlow.Run(async () =>
        {
            await using (await store.LockAsync("doc"))
            {
                taken.SetResult();
                await release.Task;
            }

            return true;
        });
        await taken.Task.WaitAsync(Deadline);

        var impatient = new FsArtifactStore(root.Path, new FsArtifactStoreOptions { LockTimeout = TimeSpan.FromMilliseconds(200) });
        // Called here, not inside a lambda xunit runs: the flow mark is set in the caller's flow, which must be this method's.
        var attempt = impatient.LockAsync("doc");
        Assert.Equal(ArtifactErrorKind.LockTimeout, (await Assert.ThrowsAsync<ArtifactException>(() => attempt)).Kind);
        // The failed attempt marked this flow, but never as holding: its calls still wait for the real holder.
        Assert.Equal(ArtifactErrorKind.LockTimeout, (await Assert.ThrowsAsync<ArtifactException>(() => impatient.LoadAsync("doc"))).Kind);

        release.SetResult();
        Assert.True(await holder.WaitAsync(Deadline));
        Assert.Equal("x", (await impatient.LoadAsync("doc"))!.Text);
    }

    [Fact]
    public async Task Another_process_cannot_take_a_lock_whose_holder_is_using_it()
    {
        using var root = new TempFolder();
        var store = new FsArtifactStore(root.Path, Short);
        var saved = await store.SaveAsync("doc", new ArtifactSave(null, "before\n", "Doc", "markdown", null));
        var worker = ChildProcess.BuiltDll("tests", "CodexRuntime.Artifact.StoreWorker");

        await using (await store.LockAsync("doc"))
        {
            await store.SaveAsync("doc", new ArtifactSave(saved.Revision, "held\n", "Doc", "markdown", null));
            await using var refused = ChildProcess.Start(worker, ["load", root.Path, "doc", "300"]);
            var (code, output) = await refused.WaitForExitAsync();
            Assert.True(code == 0, refused.Errors);
            Assert.Equal(["locktimeout"], output);
        }

        await using var after = ChildProcess.Start(worker, ["load", root.Path, "doc", "20000"]);
        var (afterCode, afterOutput) = await after.WaitForExitAsync();
        Assert.True(afterCode == 0, after.Errors);
        Assert.Equal(["loaded held"], afterOutput);
    }
}
