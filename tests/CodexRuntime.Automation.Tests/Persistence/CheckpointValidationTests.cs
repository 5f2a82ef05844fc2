using System.Text.Json.Nodes;
using CodexRuntime.Automation.Tests.Support;

namespace CodexRuntime.Automation.Tests.Persistence;

/// <summary>
/// A checkpoint file that is valid JSON but not a valid checkpoint is an error naming the file and the field, never a
/// fresh start or a bent count (which would let the automation exceed <see cref="AutomationSpec.MaxRuns"/>).
/// </summary>
public sealed class CheckpointValidationTests : IAsyncLifetime
{
    private const string Missing = "<missing>";
    private static readonly AutomationCheckpoint Valid = new("nightly", "thread-1", 2, DateTimeOffset.Parse("2026-01-05T09:00:20Z"), DateTimeOffset.Parse("2026-01-05T09:00:00Z"),
        DateTimeOffset.Parse("2026-01-05T09:00:10Z"), DateTimeOffset.Parse("2026-01-05T09:00:12Z"), AutomationState.Waiting, null);

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("codex-automation-store-");
    private JsonFileAutomationStateStore _store = null!;

    public Task InitializeAsync()
    {
        _store = new JsonFileAutomationStateStore(_folder.FullName);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _folder.Delete(recursive: true);
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData("{}", "name")]
    [InlineData("null", "not a JSON object")]
    [InlineData("[]", "not a JSON object")]
    [InlineData("3", "not a JSON object")]
    public async Task A_file_that_is_not_a_checkpoint_object_is_refused(string json, string named)
    {
        await File.WriteAllTextAsync(_store.PathOf("nightly"), json);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => _store.LoadAsync("nightly").AsTask());

        Assert.Contains(_store.PathOf("nightly"), error.Message, StringComparison.Ordinal);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("name", Missing)]
    [InlineData("name", "null")]
    [InlineData("name", "\"\"")]
    [InlineData("name", "\"weekly\"")]
    [InlineData("threadId", Missing)]
    [InlineData("threadId", "7")]
    [InlineData("runsCompleted", Missing)]
    [InlineData("runsCompleted", "null")]
    [InlineData("runsCompleted", "-1")]
    [InlineData("runsCompleted", "1.5")]
    [InlineData("runsCompleted", "\"2\"")]
    [InlineData("runsCompleted", "4294967296")]
    [InlineData("nextDueAt", Missing)]
    [InlineData("nextDueAt", "null")]
    [InlineData("nextDueAt", "\"tomorrow\"")]
    [InlineData("anchor", Missing)]
    [InlineData("anchor", "\"not a time\"")]
    [InlineData("lastStartedAt", Missing)]
    [InlineData("lastFinishedAt", "12")]
    [InlineData("state", Missing)]
    [InlineData("state", "null")]
    [InlineData("state", "\"Sleeping\"")]
    [InlineData("state", "1")]
    [InlineData("state", "\"Waiting, Running\"")]
    [InlineData("state", "\"1\"")]
    [InlineData("lastError", Missing)]
    [InlineData("lastError", "false")]
    public async Task A_damaged_field_is_an_error_naming_the_file_and_the_field(string field, string value)
    {
        await WriteWithAsync(field, value);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => _store.LoadAsync("nightly").AsTask());

        Assert.Contains(_store.PathOf("nightly"), error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{field}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(AutomationState.Stopped)]
    [InlineData(AutomationState.Failed)]
    public async Task An_ended_checkpoint_may_have_no_due_time(AutomationState state)
    {
        // Written by an automation that ended before its first due time was set (a closed session, a zero interval).
        var ended = Valid with { RunsCompleted = 0, NextDueAt = null, Anchor = null, LastStartedAt = null, LastFinishedAt = null, State = state, LastError = "why" };
        await _store.SaveAsync(ended);

        Assert.Equal(ended, await _store.LoadAsync("nightly"));
    }

    [Fact]
    public async Task A_checkpoint_with_a_field_it_does_not_know_still_loads()
    {
        await WriteWithAsync("addedLater", "true");

        Assert.Equal(Valid, await _store.LoadAsync("nightly"));
    }

    [Fact]
    public async Task An_automation_on_a_damaged_checkpoint_does_not_run_and_leaves_the_file_alone()
    {
        await using var codex = await ScriptedCodex.StartAsync();
        // Two runs done, MaxRuns 2: the count is what stops it; without it the automation would start afresh.
        await WriteWithAsync("runsCompleted", Missing);
        var damaged = await File.ReadAllTextAsync(_store.PathOf("nightly"));

        var error = await Assert.ThrowsAsync<InvalidDataException>(() =>
            codex.RunAsync(new AutomationSpec { Prompt = "check", Every = TimeSpan.FromSeconds(10), MaxRuns = 2 }, _store, "nightly"));

        Assert.Contains("'runsCompleted'", error.Message, StringComparison.Ordinal);
        Assert.Contains(_store.PathOf("nightly"), error.Message, StringComparison.Ordinal);
        Assert.Equal(0, codex.TurnStarts);
        Assert.Equal(damaged, await File.ReadAllTextAsync(_store.PathOf("nightly")));
    }

    [Fact]
    public async Task A_store_that_returns_a_negative_count_is_refused_by_the_automation()
    {
        await using var codex = await ScriptedCodex.StartAsync();
        var store = new FixedStore(Valid with { RunsCompleted = -3 });

        var error = await Assert.ThrowsAsync<InvalidDataException>(() =>
            codex.RunAsync(new AutomationSpec { Prompt = "check", Every = TimeSpan.FromSeconds(10), MaxRuns = 2 }, store, "nightly"));

        Assert.Contains("RunsCompleted", error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(FixedStore), error.Message, StringComparison.Ordinal);
        Assert.Equal(0, codex.TurnStarts);
        Assert.Equal(0, store.Saves);
    }

    /// <summary>Writes <see cref="Valid"/> with <paramref name="field"/> set to the JSON <paramref name="value"/> (or removed).</summary>
    private async Task WriteWithAsync(string field, string value)
    {
        await _store.SaveAsync(Valid);
        var json = JsonNode.Parse(await File.ReadAllTextAsync(_store.PathOf("nightly")))!.AsObject();
        json.Remove(field);
        if (value != Missing)
        {
            json[field] = JsonNode.Parse(value);
        }

        await File.WriteAllTextAsync(_store.PathOf("nightly"), json.ToJsonString());
    }

    private sealed class FixedStore(AutomationCheckpoint checkpoint) : IAutomationStateStore
    {
        public int Saves { get; private set; }

        public ValueTask<AutomationCheckpoint?> LoadAsync(string name, CancellationToken cancellationToken = default) => ValueTask.FromResult<AutomationCheckpoint?>(checkpoint);

        public ValueTask SaveAsync(AutomationCheckpoint checkpoint, CancellationToken cancellationToken = default)
        {
            Saves++;
            return ValueTask.CompletedTask;
        }

        public ValueTask<IAsyncDisposable> AcquireAsync(string name, CancellationToken cancellationToken = default) => ValueTask.FromResult<IAsyncDisposable>(new Released());

        // Starting an automation never lists or deletes; these tests only start one.
        public ValueTask<IReadOnlyList<AutomationCheckpointEntry>> ListAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<bool> DeleteAsync(string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        // These tests never reach a run, so no run is recorded or read.
        public ValueTask AppendRunAsync(AutomationRunRecord record, int keep, TimeSpan? maxAge = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<IReadOnlyList<AutomationRunRecord>> ReadRunsAsync(string name, int limit = 100, int skip = 0, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        private sealed class Released : IAsyncDisposable
        {
            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
