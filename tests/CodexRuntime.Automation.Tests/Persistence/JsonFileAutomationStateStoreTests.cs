using System.Text.Json.Nodes;

namespace CodexRuntime.Automation.Tests.Persistence;

public sealed class JsonFileAutomationStateStoreTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("codex-automation-store-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task A_checkpoint_round_trips_through_one_json_file_and_leaves_no_temporary_file()
    {
        var store = new JsonFileAutomationStateStore(_folder.FullName);
        var checkpoint = new AutomationCheckpoint("nightly", "thread-1", 4, DateTimeOffset.Parse("2026-01-05T09:00:10Z"), DateTimeOffset.Parse("2026-01-05T09:00:00Z"),
            DateTimeOffset.Parse("2026-01-05T09:00:00Z"), DateTimeOffset.Parse("2026-01-05T09:00:02Z"), AutomationState.Waiting, null);

        await store.SaveAsync(checkpoint);
        await store.SaveAsync(checkpoint with { RunsCompleted = 5 });

        Assert.Equal(checkpoint with { RunsCompleted = 5 }, await store.LoadAsync("nightly"));
        Assert.Equal([Path.Combine(_folder.FullName, "nightly.json")], Directory.GetFiles(_folder.FullName));
        var json = JsonNode.Parse(await File.ReadAllTextAsync(store.PathOf("nightly")))!;
        Assert.Equal("Waiting", (string?)json["state"]);
        Assert.Equal("thread-1", (string?)json["threadId"]);
        Assert.Null(await store.LoadAsync("other"));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("..")]
    [InlineData("a/b\\c")]
    [InlineData("Ünïcode name")]
    public async Task No_name_leaves_the_folder(string name)
    {
        var store = new JsonFileAutomationStateStore(_folder.FullName);

        await store.SaveAsync(new AutomationCheckpoint(name, null, 0, null, null, null, null, AutomationState.Stopped, null));

        var file = Assert.Single(Directory.GetFiles(_folder.FullName));
        Assert.Equal(_folder.FullName, Path.GetDirectoryName(file));
        Assert.Equal(file, store.PathOf(name));
        Assert.Equal(name, (await store.LoadAsync(name))?.Name);
    }

    [Fact]
    public async Task A_damaged_file_is_named_in_the_error()
    {
        var store = new JsonFileAutomationStateStore(_folder.FullName);
        await File.WriteAllTextAsync(store.PathOf("nightly"), "{ not json");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => store.LoadAsync("nightly").AsTask());

        Assert.Contains(store.PathOf("nightly"), error.Message, StringComparison.Ordinal);
    }
}
