using CodexRuntime.Artifact;
using CodexRuntime.Artifact.Storage;
using CodexRuntime.Artifact.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CodexRuntime.Artifact.Tests;

/// <summary>
/// Retention of kept revisions in <see cref="FsArtifactStore"/>: by age (<see cref="FsArtifactStoreOptions.MaxRevisionAge"/>,
/// on a <see cref="FakeTimeProvider"/>) and by count, applied when saving, never removing the current revision, and
/// keeping what undo and redo reach before other revisions.
/// </summary>
public sealed class RevisionRetentionTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Revisions_older_than_the_max_age_are_removed_when_saving_and_undo_cannot_reach_them()
    {
        using var root = new TempFolder();
        var clock = new FakeTimeProvider(Start);
        var store = new FsArtifactStore(root.Path, new FsArtifactStoreOptions { MaxRevisionAge = TimeSpan.FromHours(1), TimeProvider = clock });
        await ArtifactHistoryTests.SaveAsync(store, "v1\n");
        clock.Advance(TimeSpan.FromMinutes(30));
        await ArtifactHistoryTests.SaveAsync(store, "v2\n");
        clock.Advance(TimeSpan.FromMinutes(45));

        // Only a save applies retention: v1 is 75 minutes old but still listed until the next save.
        Assert.Equal([2L, 1L], (await store.ListRevisionsAsync("doc")).Select(r => r.Sequence));
        await ArtifactHistoryTests.SaveAsync(store, "v3\n");
        Assert.Equal([3L, 2L], (await store.ListRevisionsAsync("doc")).Select(r => r.Sequence));

        clock.Advance(TimeSpan.FromMinutes(61));
        Assert.Equal("v2\n", (await new ArtifactHistory(store).UndoAsync("doc")).Text); // saving the undo drops v2 and v3 (61 min old)
        Assert.Equal([4L], (await store.ListRevisionsAsync("doc")).Select(r => r.Sequence));

        var history = new ArtifactHistory(store);
        Assert.Equal(ArtifactErrorKind.RevisionNotKept, (await Assert.ThrowsAsync<ArtifactException>(() => history.UndoAsync("doc"))).Kind);
        Assert.Equal(ArtifactErrorKind.RevisionNotKept, (await Assert.ThrowsAsync<ArtifactException>(() => history.RedoAsync("doc"))).Kind);
    }

    [Fact]
    public async Task The_current_revision_is_kept_whatever_its_age()
    {
        using var root = new TempFolder();
        var clock = new FakeTimeProvider(Start);
        var options = new FsArtifactStoreOptions { MaxRevisionAge = TimeSpan.FromMinutes(1), TimeProvider = clock };
        var store = new FsArtifactStore(root.Path, options);
        var saved = await ArtifactHistoryTests.SaveAsync(store, "v1\n");
        clock.Advance(TimeSpan.FromDays(30));

        // A save that fails its compare-and-swap prunes nothing; a save of another artifact does not touch this one.
        await Assert.ThrowsAsync<ArtifactException>(() => store.SaveAsync("doc", new ArtifactSave("sha256:stale", "x\n", "Doc", "markdown", null)));
        await ArtifactHistoryTests.SaveAsync(store, "other\n", "other");

        var kept = Assert.Single(await store.ListRevisionsAsync("doc"));
        Assert.Equal(saved.Revision, kept.Revision);
        Assert.Equal("v1\n", (await store.LoadRevisionAsync("doc", saved.Revision))!.Text);
    }

    [Fact]
    public async Task Retention_by_count_keeps_the_undo_and_redo_steps_before_newer_saves()
    {
        using var root = new TempFolder();
        var store = new FsArtifactStore(root.Path, new FsArtifactStoreOptions { KeptRevisions = 4 });
        var history = new ArtifactHistory(store);
        for (var i = 1; i <= 8; i++)
        {
            await ArtifactHistoryTests.SaveAsync(store, $"v{i}\n");
        }

        // Each undo is a save; a plain newest-first window of 4 would drop the targets after two undos.
        Assert.Equal("v7\n", (await history.UndoAsync("doc")).Text);
        Assert.Equal("v6\n", (await history.UndoAsync("doc")).Text);
        Assert.Equal("v5\n", (await history.UndoAsync("doc")).Text);
        Assert.Equal(4, (await store.ListRevisionsAsync("doc")).Count);

        // Four kept: the current one plus three steps. The fourth undo's target went when the first undo was saved.
        Assert.Equal(ArtifactErrorKind.RevisionNotKept, (await Assert.ThrowsAsync<ArtifactException>(() => history.UndoAsync("doc"))).Kind);
        Assert.Equal("v6\n", (await history.RedoAsync("doc")).Text);
        Assert.Equal("v7\n", (await history.RedoAsync("doc")).Text);
        Assert.Equal("v6\n", (await history.UndoAsync("doc")).Text);
        Assert.Equal("v7\n", (await history.RedoAsync("doc")).Text);
        Assert.Equal("v8\n", (await history.RedoAsync("doc")).Text);
        Assert.Equal(4, (await store.ListRevisionsAsync("doc")).Count);
    }

    [Fact]
    public void A_max_age_that_is_not_positive_is_refused()
    {
        var refused = Assert.Throws<ArgumentOutOfRangeException>(() => new FsArtifactStore("/tmp/x", new FsArtifactStoreOptions { MaxRevisionAge = TimeSpan.Zero }));
        Assert.Equal("options.MaxRevisionAge", refused.ParamName);
    }

    [Fact]
    public async Task AddArtifacts_passes_the_max_age_to_the_store_on_the_registered_clock_and_validates_it()
    {
        using var root = new TempFolder();
        var clock = new FakeTimeProvider(Start);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddCodexRuntime().AddArtifacts(o =>
        {
            o.Root = root.Path;
            o.MaxRevisionAge = TimeSpan.FromHours(1);
        });
        await using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<IArtifactStore>();

        await ArtifactHistoryTests.SaveAsync(store, "v1\n");
        clock.Advance(TimeSpan.FromHours(2));
        await ArtifactHistoryTests.SaveAsync(store, "v2\n");

        Assert.Equal([2L], (await store.ListRevisionsAsync("doc")).Select(r => r.Sequence));
        Assert.Contains(new ArtifactOptions { MaxRevisionAge = TimeSpan.FromSeconds(-1) }.Validate(), p => p.StartsWith("ArtifactOptions.MaxRevisionAge is", StringComparison.Ordinal));
    }
}
