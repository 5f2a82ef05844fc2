using System.Text.Json.Nodes;

namespace CodexRuntime.Automation.Tests.Persistence;

/// <summary>
/// The checkpoint fields added for pause, skip, retry and run-now: an older file without them loads with the defaults;
/// present, each is checked like the others (an error naming the file and the field).
/// </summary>
public sealed class ControlCheckpointTests : IDisposable
{
    private static readonly AutomationCheckpoint Valid = new("nightly", "thread-1", 2, DateTimeOffset.Parse("2026-01-05T09:00:20Z"), DateTimeOffset.Parse("2026-01-05T09:00:00Z"),
        DateTimeOffset.Parse("2026-01-05T09:00:10Z"), DateTimeOffset.Parse("2026-01-05T09:00:12Z"), AutomationState.Paused, null,
        Paused: true, SkipsPending: 1, FailedAttempts: 2, RetryAt: DateTimeOffset.Parse("2026-01-05T09:00:30Z"), RunNowAt: DateTimeOffset.Parse("2026-01-05T09:00:15Z"));

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("codex-automation-store-");
    private readonly JsonFileAutomationStateStore _store;

    public ControlCheckpointTests() => _store = new JsonFileAutomationStateStore(_folder.FullName);

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task The_new_fields_round_trip()
    {
        await _store.SaveAsync(Valid);

        Assert.Equal(Valid, await _store.LoadAsync("nightly"));
    }

    [Fact]
    public async Task A_file_written_before_the_new_fields_loads_with_their_defaults()
    {
        await WriteAsync(json =>
        {
            foreach (var field in new[] { "paused", "skipsPending", "failedAttempts", "retryAt", "runNowAt" })
            {
                json.Remove(field);
            }

            json["state"] = "Waiting";
        });

        var loaded = await _store.LoadAsync("nightly");

        Assert.Equal(Valid with { State = AutomationState.Waiting, Paused = false, SkipsPending = 0, FailedAttempts = 0, RetryAt = null, RunNowAt = null }, loaded);
    }

    [Theory]
    [InlineData("paused", "\"yes\"")]
    [InlineData("paused", "null")]
    [InlineData("skipsPending", "-1")]
    [InlineData("failedAttempts", "1.5")]
    [InlineData("failedAttempts", "null")]
    [InlineData("retryAt", "\"soon\"")]
    [InlineData("runNowAt", "7")]
    public async Task A_new_field_of_the_wrong_type_is_an_error_naming_the_file_and_the_field(string field, string value)
    {
        await WriteAsync(json => json[field] = JsonNode.Parse(value));

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => _store.LoadAsync("nightly").AsTask());

        Assert.Contains(_store.PathOf("nightly"), error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{field}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_paused_checkpoint_needs_a_due_time_like_a_waiting_one()
    {
        await WriteAsync(json => json["nextDueAt"] = null);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => _store.LoadAsync("nightly").AsTask());

        Assert.Contains("'nextDueAt' is null while field 'state' is Paused", error.Message, StringComparison.Ordinal);
    }

    private async Task WriteAsync(Action<JsonObject> change)
    {
        await _store.SaveAsync(Valid);
        var json = JsonNode.Parse(await File.ReadAllTextAsync(_store.PathOf("nightly")))!.AsObject();
        change(json);
        await File.WriteAllTextAsync(_store.PathOf("nightly"), json.ToJsonString());
    }
}
