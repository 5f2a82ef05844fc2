using CodexRuntime.Artifact.Tests.Support;

namespace CodexRuntime.Artifact.Tests;

/// <summary>Ids that are not valid Unicode are refused by every entry point before anything is written.</summary>
public sealed class ArtifactIdTests
{
    private static readonly string[] Invalid = ["\uD800", "a\uDC00b", "end\uD83D", "\uDE00\uD83D", "x\uD83D\uD83Dy"];

    // By index: a lone surrogate in a test's display name helps no test runner.
    public static TheoryData<int> InvalidIds => new(Enumerable.Range(0, Invalid.Length));

    [Theory]
    [MemberData(nameof(InvalidIds))]
    public async Task An_id_with_an_unpaired_surrogate_is_refused_by_every_store_and_manager_call_and_nothing_is_written(int index)
    {
        var id = Invalid[index];
        using var root = new TempFolder();
        var storeRoot = Path.Combine(root.Path, "store");
        var store = new FsArtifactStore(storeRoot);
        await using var client = new CodexClient(new ClientConfig());
        await using var manager = new ArtifactSessionManager(client, store, new ArtifactOptions { WorkingDirectory = root.Path });

        var refusals = new List<ArtifactException>
        {
            Assert.Throws<ArtifactException>(() => store.GetFolder(id)),
            await Assert.ThrowsAsync<ArtifactException>(() => store.SaveAsync(id, new ArtifactSave(null, "text", "t", "markdown", null))),
            await Assert.ThrowsAsync<ArtifactException>(() => store.LoadAsync(id)),
            await Assert.ThrowsAsync<ArtifactException>(() => store.ListRevisionsAsync(id)),
            await Assert.ThrowsAsync<ArtifactException>(() => store.LoadRevisionAsync(id, "sha256:00")),
            await Assert.ThrowsAsync<ArtifactException>(() => store.LockAsync(id)),
            await Assert.ThrowsAsync<ArtifactException>(() => manager.OpenAsync(id)),
            await Assert.ThrowsAsync<ArtifactException>(() => manager.RunTaskAsync(new ArtifactTaskSpec(id, ArtifactTaskKind.DocGenerate, "Write it."))),
            await Assert.ThrowsAsync<ArtifactException>(() => manager.UndoAsync(id)),
        };

        foreach (var refusal in refusals)
        {
            Assert.Equal(ArtifactErrorKind.InvalidId, refusal.Kind);
            Assert.Equal(id, refusal.ArtifactId);
            Assert.Contains("unpaired surrogate", refusal.Message, StringComparison.Ordinal);
            Assert.Contains("\\u", refusal.Message, StringComparison.Ordinal); // the bad code unit, escaped
        }

        Assert.False(Directory.Exists(storeRoot), "the store wrote something for a refused id");
        Assert.Null(client.ProcessId);
    }

    [Fact]
    public async Task Ids_with_surrogate_pairs_and_other_unicode_are_stored_and_read_back()
    {
        using var root = new TempFolder();
        var store = new FsArtifactStore(root.Path);
        foreach (var id in new[] { "\uD83D\uDE00", "notes-\uD834\uDD1E", "caf\u00e9", "\uFFFD" })
        {
            var saved = await store.SaveAsync(id, new ArtifactSave(null, $"text of {id}", "t", "markdown", null));
            await store.SaveAsync(id, new ArtifactSave(saved.Revision, $"again {id}", "t", "markdown", null));
            var loaded = (await store.LoadAsync(id))!;
            Assert.Equal((id, $"again {id}", 2L), (loaded.ArtifactId, loaded.Text, loaded.Meta.Sequence));
        }
    }
}
