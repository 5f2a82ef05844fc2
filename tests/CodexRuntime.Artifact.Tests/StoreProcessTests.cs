using CodexRuntime.Artifact.Patching;
using CodexRuntime.Artifact.Storage;
using CodexRuntime.Artifact.Tests.Support;

namespace CodexRuntime.Artifact.Tests;

/// <summary>The file store across processes (not threads): the store worker (tests/CodexRuntime.Artifact.StoreWorker) runs as separate programs.</summary>
public sealed class StoreProcessTests
{
    private const int SavesPerProcess = 200;

    [Fact]
    public async Task Two_processes_making_200_compare_and_swap_saves_each_lose_no_update_and_leave_one_revision_chain()
    {
        using var root = new TempFolder();
        var store = new FsArtifactStore(root.Path);
        var start = await store.SaveAsync("shared", new ArtifactSave(null, string.Empty, "Shared", "markdown", null));
        var dll = ChildProcess.BuiltDll("tests", "CodexRuntime.Artifact.StoreWorker");
        await using var a = ChildProcess.Start(dll, ["cas", root.Path, "shared", "A", SavesPerProcess.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await using var b = ChildProcess.Start(dll, ["cas", root.Path, "shared", "B", SavesPerProcess.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        Assert.Equal("ready", await a.ReadLineAsync());
        Assert.Equal("ready", await b.ReadLineAsync());
        await a.WriteLineAsync("go");
        await b.WriteLineAsync("go");

        var (codeA, outA) = await a.WaitForExitAsync();
        var (codeB, outB) = await b.WaitForExitAsync();

        Assert.True(codeA == 0 && codeB == 0, $"exit codes {codeA}, {codeB}\n{a.Errors}\n{b.Errors}");
        var final = (await store.LoadAsync("shared"))!;
        var lines = final.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2 * SavesPerProcess, lines.Length);
        foreach (var name in new[] { "A", "B" })
        {
            // Every save of each process is there, once, in the order it made them.
            Assert.Equal(Enumerable.Range(1, SavesPerProcess).Select(i => $"{name} {i}"), lines.Where(l => l.StartsWith(name + " ", StringComparison.Ordinal)));
        }

        Assert.Equal(1 + (2 * SavesPerProcess), final.Meta.Sequence);
        // The saves both processes report form one chain from the first revision to the last: each revision was
        // replaced exactly once, and every link starts where the previous one ended.
        var links = outA.Concat(outB).Where(l => l.StartsWith("saved ", StringComparison.Ordinal)).Select(l => l.Split(' ')).ToDictionary(p => p[1], p => p[2]);
        Assert.Equal(2 * SavesPerProcess, links.Count);
        var revision = start.Revision;
        for (var i = 0; i < 2 * SavesPerProcess; i++)
        {
            Assert.True(links.TryGetValue(revision, out var next), $"the chain breaks after {i} links");
            revision = next!;
        }

        Assert.Equal(final.Revision, revision);
        Assert.Equal(DocPatches.ComputeRevision(final.Text), final.Revision);
    }

    [Fact]
    public async Task A_lock_held_by_a_process_that_was_SIGKILLed_is_taken_over_within_the_deadline()
    {
        using var root = new TempFolder();
        var store = new FsArtifactStore(root.Path, new FsArtifactStoreOptions { LockTimeout = TimeSpan.FromSeconds(20) });
        var saved = await store.SaveAsync("doc", new ArtifactSave(null, "before\n", "Doc", "markdown", null));
        await using var holder = ChildProcess.Start(ChildProcess.BuiltDll("tests", "CodexRuntime.Artifact.StoreWorker"), ["hold", root.Path, "doc"]);
        Assert.Equal($"locked {holder.Id}", await holder.ReadLineAsync());

        // While the holder lives, the lock holds.
        var impatient = new FsArtifactStore(root.Path, new FsArtifactStoreOptions { LockTimeout = TimeSpan.FromMilliseconds(300) });
        var refused = await Assert.ThrowsAsync<ArtifactException>(() => impatient.SaveAsync("doc", new ArtifactSave(saved.Revision, "during\n", "Doc", "markdown", null)));
        Assert.Equal(ArtifactErrorKind.LockTimeout, refused.Kind);
        Assert.Contains($"pid {holder.Id}", refused.Message, StringComparison.Ordinal);

        await holder.KillAsync(); // SIGKILL: its lock file stays behind, naming a dead owner
        Assert.True(File.Exists(Path.Combine(store.GetFolder("doc"), ".lock")));

        var after = await store.SaveAsync("doc", new ArtifactSave(saved.Revision, "after\n", "Doc", "markdown", null));

        Assert.Equal("after\n", (await store.LoadAsync("doc"))!.Text);
        Assert.Equal(saved.Revision, after.Meta.PreviousRevision);
    }
}
