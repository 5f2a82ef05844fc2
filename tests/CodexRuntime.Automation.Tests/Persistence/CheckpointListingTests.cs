namespace CodexRuntime.Automation.Tests.Persistence;

/// <summary>
/// <see cref="JsonFileAutomationStateStore.ListAsync"/> and <see cref="JsonFileAutomationStateStore.DeleteAsync"/>:
/// the listing returns the names the checkpoints record (escaped and hashed file names included) and reports damaged
/// files instead of throwing; a delete is refused while the name is owned and is a no-op for a missing name.
/// </summary>
public sealed class CheckpointListingTests : IDisposable
{
    // 40 'é' escape to 240 characters: longer than 212, so the file name is hashed.
    private static readonly string LongName = new('é', 40);
    private const string EscapedName = "a/b é";

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("codex-automation-list-");

    public void Dispose() => _folder.Delete(recursive: true);

    private JsonFileAutomationStateStore Store => new(_folder.FullName);

    private static AutomationCheckpoint Checkpoint(string name, int runs = 2) =>
        new(name, "thread-" + runs, runs, DateTimeOffset.Parse("2026-01-05T09:00:10Z"), null, null, null, AutomationState.Waiting, null);

    [Fact]
    public async Task The_listing_returns_the_recorded_names_and_reports_damaged_files()
    {
        var store = Store;
        foreach (var name in new[] { "nightly", EscapedName, LongName })
        {
            await store.SaveAsync(Checkpoint(name));
        }

        Assert.Contains('~', Path.GetFileName(store.PathOf(LongName)));
        await File.WriteAllTextAsync(Path.Combine(_folder.FullName, "broken.json"), "{ not json");
        await File.WriteAllTextAsync(store.PathOf("half"), """{ "name": "half" }""");
        // Copied by hand: a whole checkpoint of 'nightly' in another name's file.
        File.Copy(store.PathOf("nightly"), store.PathOf("copy"));
        // Lock and owner files of an owned name are not checkpoints, and owning does not hide one.
        await using var lease = await store.AcquireAsync("nightly");

        var entries = await store.ListAsync();

        Assert.Equal([EscapedName, "half", "nightly", LongName, null, null], entries.Select(e => e.Name));
        Assert.All(entries.Take(4).Where(e => e.Name != "half"), e =>
        {
            Assert.False(e.IsDamaged);
            Assert.Equal(Checkpoint(e.Name!), e.Checkpoint);
            Assert.Equal(store.PathOf(e.Name!), e.Location);
            Assert.Null(e.Problem);
        });
        var half = entries.Single(e => e.Name == "half");
        Assert.True(half.IsDamaged);
        Assert.Contains("field 'runsCompleted' is missing", half.Problem, StringComparison.Ordinal);
        var broken = entries.Single(e => e.Location.EndsWith("broken.json", StringComparison.Ordinal));
        Assert.Contains("not valid JSON", broken.Problem, StringComparison.Ordinal);
        var copy = entries.Single(e => e.Location == store.PathOf("copy"));
        Assert.Contains("field 'name' is 'nightly'", copy.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_whose_folder_does_not_exist_lists_nothing_and_deletes_nothing()
    {
        var store = new JsonFileAutomationStateStore(Path.Combine(_folder.FullName, "absent"));

        Assert.Empty(await store.ListAsync());
        Assert.False(await store.DeleteAsync("nightly"));
        Assert.False(Directory.Exists(store.Directory));
    }

    [Theory]
    [InlineData("nightly")]
    [InlineData(EscapedName)]
    [InlineData(null)]
    public async Task A_deleted_checkpoint_is_gone_and_its_name_starts_afresh(string? name)
    {
        name ??= LongName;
        var store = Store;
        await store.SaveAsync(Checkpoint(name));
        await store.SaveAsync(Checkpoint("other"));
        // Owned once and let go, as by an automation that ran and stopped.
        await (await store.AcquireAsync(name)).DisposeAsync();

        Assert.True(await store.DeleteAsync(name));

        Assert.Null(await store.LoadAsync(name));
        Assert.Equal(["other"], (await store.ListAsync()).Select(e => e.Name));
        var stem = Path.GetFileNameWithoutExtension(store.PathOf(name));
        // Only the lock file stays (deleting it could let two starters lock different files); no owner file.
        Assert.Equal([stem + ".lock"], Directory.GetFiles(_folder.FullName, stem + ".*").Select(Path.GetFileName));
        await using var again = await store.AcquireAsync(name);
    }

    [Fact]
    public async Task A_damaged_checkpoint_can_be_deleted()
    {
        var store = Store;
        await File.WriteAllTextAsync(store.PathOf("nightly"), "[]");

        Assert.True(await store.DeleteAsync("nightly"));

        Assert.Null(await store.LoadAsync("nightly"));
    }

    [Fact]
    public async Task Deleting_an_owned_name_is_refused_and_keeps_the_checkpoint()
    {
        var store = Store;
        await store.SaveAsync(Checkpoint("nightly", runs: 7));
        await using var lease = await store.AcquireAsync("nightly");

        var error = await Assert.ThrowsAsync<AutomationOwnedException>(() => store.DeleteAsync("nightly").AsTask());

        Assert.Equal("nightly", error.AutomationName);
        Assert.Equal(AutomationOwner.Current, error.Owner);
        Assert.Equal(7, (await store.LoadAsync("nightly"))?.RunsCompleted);
        Assert.True(File.Exists(Path.ChangeExtension(store.PathOf("nightly"), ".owner")));
    }

    [Fact]
    public async Task Deleting_a_missing_name_returns_false_and_touches_nothing()
    {
        var store = Store;
        await store.SaveAsync(Checkpoint("nightly"));

        Assert.False(await store.DeleteAsync("missing"));

        Assert.Equal([store.PathOf("nightly")], Directory.GetFiles(_folder.FullName));
    }

    [Fact]
    public async Task A_bad_name_is_refused_by_delete()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.DeleteAsync("\uD800").AsTask());
    }
}
