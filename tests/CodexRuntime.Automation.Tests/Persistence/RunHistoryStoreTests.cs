using System.Text;
using System.Text.Json.Nodes;
using CodexRuntime.Automation.Tests.Support;
using Microsoft.Extensions.Logging;

namespace CodexRuntime.Automation.Tests.Persistence;

/// <summary>
/// <see cref="JsonFileAutomationStateStore"/>'s run history: one JSON line per run next to the checkpoint, read newest
/// first in pages, kept by count and age, surviving a cut-off append, skipping (and logging) a damaged line, deleted
/// with the checkpoint, for any valid name.
/// </summary>
public sealed class RunHistoryStoreTests : IDisposable
{
    private static readonly DateTimeOffset T = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("codex-automation-history-");
    private readonly RecordingLogger _log = new();
    private readonly JsonFileAutomationStateStore _store;

    public RunHistoryStoreTests() => _store = new JsonFileAutomationStateStore(_folder.FullName, _log);

    public void Dispose() => _folder.Delete(recursive: true);

    private static AutomationRunRecord Run(int number, string name = "nightly", AutomationRunOutcome outcome = AutomationRunOutcome.Completed) =>
        new(name, number, T.AddMinutes(number), T.AddMinutes(number).AddSeconds(1), T.AddMinutes(number).AddSeconds(5), outcome,
            outcome == AutomationRunOutcome.Completed ? null : "CodexRunFailedException",
            outcome == AutomationRunOutcome.Completed ? null : "the model provider failed: \"quota\"\nline two",
            $"turn-{number}", "thread-1");

    private async Task AppendAsync(int from, int to, int keep = 1000, string name = "nightly")
    {
        for (var number = from; number <= to; number++)
        {
            await _store.AppendRunAsync(Run(number, name), keep);
        }
    }

    [Fact]
    public async Task Runs_round_trip_newest_first_in_one_json_line_each_next_to_the_checkpoint()
    {
        var failed = Run(2, outcome: AutomationRunOutcome.Failed) with { TurnId = null, ThreadId = null };
        await _store.AppendRunAsync(Run(1), keep: 10);
        await _store.AppendRunAsync(failed, keep: 10);

        Assert.Equal([failed, Run(1)], await _store.ReadRunsAsync("nightly"));
        Assert.Equal(Path.Combine(_folder.FullName, "nightly.runs.jsonl"), _store.HistoryPathOf("nightly"));
        var lines = await File.ReadAllLinesAsync(_store.HistoryPathOf("nightly"));
        Assert.Equal(2, lines.Length);
        var first = JsonNode.Parse(lines[0])!;
        Assert.Equal("Completed", (string?)first["outcome"]);
        Assert.Equal("turn-1", (string?)first["turnId"]);
        Assert.Equal("Failed", (string?)JsonNode.Parse(lines[1])!["outcome"]);
        Assert.Empty(await _store.ReadRunsAsync("other"));
        Assert.Null(await _store.LoadAsync("nightly"));
    }

    [Fact]
    public async Task Pages_are_the_newest_limit_records_after_skipping_the_newest_skip()
    {
        await AppendAsync(1, 7);

        Assert.Equal([7, 6, 5], (await _store.ReadRunsAsync("nightly", limit: 3)).Select(r => r.Number));
        Assert.Equal([4, 3, 2], (await _store.ReadRunsAsync("nightly", limit: 3, skip: 3)).Select(r => r.Number));
        Assert.Equal([1], (await _store.ReadRunsAsync("nightly", limit: 3, skip: 6)).Select(r => r.Number));
        Assert.Empty(await _store.ReadRunsAsync("nightly", limit: 3, skip: 7));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(AutomationRunRecord.MaxReadCount + 1, 0)]
    [InlineData(1, -1)]
    public async Task A_read_out_of_range_is_refused_naming_the_argument(int limit, int skip)
    {
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await _store.ReadRunsAsync("nightly", limit, skip));

        Assert.Equal(limit is < 1 or > AutomationRunRecord.MaxReadCount ? "limit" : "skip", error.ParamName);
    }

    [Fact]
    public async Task Retention_keeps_the_newest_records_and_leaves_no_temporary_file()
    {
        await AppendAsync(1, 5, keep: 3);

        Assert.Equal([5, 4, 3], (await _store.ReadRunsAsync("nightly")).Select(r => r.Number));
        Assert.Equal([_store.HistoryPathOf("nightly")], Directory.GetFiles(_folder.FullName));

        // A smaller limit applies at the next append.
        await _store.AppendRunAsync(Run(6), keep: 1);
        Assert.Equal([6], (await _store.ReadRunsAsync("nightly")).Select(r => r.Number));
    }

    [Fact]
    public async Task Keeping_none_removes_the_history()
    {
        await AppendAsync(1, 2);

        await _store.AppendRunAsync(Run(3), keep: 0);

        Assert.Empty(await _store.ReadRunsAsync("nightly"));
        Assert.Empty(Directory.GetFiles(_folder.FullName));
    }

    [Fact]
    public async Task Records_older_than_the_maximum_age_before_the_new_run_are_dropped()
    {
        // Runs finish at 1, 2, 3 minutes (+5 s); with a 90 s age the one at 3 min keeps only the one at 2 min.
        await AppendAsync(1, 2);

        await _store.AppendRunAsync(Run(3), keep: 1000, maxAge: TimeSpan.FromSeconds(90));

        Assert.Equal([3, 2], (await _store.ReadRunsAsync("nightly")).Select(r => r.Number));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await _store.AppendRunAsync(Run(4), 1000, TimeSpan.Zero));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await _store.AppendRunAsync(Run(4), -1));
    }

    [Fact]
    public async Task An_append_cut_off_by_a_crash_loses_nothing_before_it_and_is_cut_away_by_the_next()
    {
        await AppendAsync(1, 2);
        var path = _store.HistoryPathOf("nightly");
        var whole = await File.ReadAllBytesAsync(path);
        // The crash: half of the third record's line reached the disk, without its newline.
        var third = Encoding.UTF8.GetBytes(JsonNode.Parse(File.ReadAllLines(path)[1])!.ToJsonString().Replace("turn-2", "turn-3"));
        await File.WriteAllBytesAsync(path, [.. whole, .. third[..(third.Length / 2)]]);

        Assert.Equal([2, 1], (await _store.ReadRunsAsync("nightly")).Select(r => r.Number));
        Assert.Empty(_log.Entries);

        await _store.AppendRunAsync(Run(3), keep: 1000);

        Assert.Equal([3, 2, 1], (await _store.ReadRunsAsync("nightly")).Select(r => r.Number));
        var lines = await File.ReadAllLinesAsync(path);
        Assert.Equal(3, lines.Length);
        Assert.All(lines, line => Assert.NotNull(JsonNode.Parse(line)));
        Assert.Empty(_log.Entries);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"automation\":\"nightly\",\"number\":9}")]
    [InlineData("{\"automation\":\"other\",\"number\":9,\"dueAt\":\"2026-01-05T09:00:00Z\",\"startedAt\":\"2026-01-05T09:00:00Z\",\"finishedAt\":\"2026-01-05T09:00:00Z\",\"outcome\":\"Completed\",\"errorType\":null,\"errorMessage\":null,\"turnId\":null,\"threadId\":null}")]
    [InlineData("{\"automation\":\"nightly\",\"number\":9,\"dueAt\":\"2026-01-05T09:00:00Z\",\"startedAt\":\"2026-01-05T09:00:00Z\",\"finishedAt\":\"2026-01-05T09:00:00Z\",\"outcome\":\"Exploded\",\"errorType\":null,\"errorMessage\":null,\"turnId\":null,\"threadId\":null}")]
    [InlineData("{\"automation\":\"nightly\",\"number\":9,\"dueAt\":\"2026-01-05T09:00:00Z\",\"startedAt\":\"2026-01-05T09:00:00Z\",\"finishedAt\":\"2026-01-05T09:00:00Z\",\"outcome\":7,\"errorType\":null,\"errorMessage\":null,\"turnId\":null,\"threadId\":null}")]
    [InlineData("{\"automation\":\"nightly\",\"number\":0,\"dueAt\":\"2026-01-05T09:00:00Z\",\"startedAt\":\"2026-01-05T09:00:00Z\",\"finishedAt\":\"2026-01-05T09:00:00Z\",\"outcome\":\"Completed\",\"errorType\":null,\"errorMessage\":null,\"turnId\":null,\"threadId\":null}")]
    public async Task A_damaged_line_is_skipped_and_logged_naming_the_file_and_line_and_the_others_are_read(string damaged)
    {
        await AppendAsync(1, 1);
        var path = _store.HistoryPathOf("nightly");
        await File.AppendAllTextAsync(path, damaged + "\n");
        await AppendAsync(2, 2);

        Assert.Equal([2, 1], (await _store.ReadRunsAsync("nightly")).Select(r => r.Number));
        var warning = Assert.Single(_log.Entries, e => e.Level == LogLevel.Warning);
        Assert.Equal(171, warning.Id.Id);
        Assert.Contains($"line 2 of its run history {path}", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_removes_the_history_with_the_checkpoint_and_a_history_alone()
    {
        await _store.SaveAsync(new AutomationCheckpoint("nightly", "thread-1", 2, T, T, null, null, AutomationState.Waiting, null));
        await AppendAsync(1, 2);
        await AppendAsync(1, 1, name: "history-only");

        Assert.True(await _store.DeleteAsync("nightly"));
        Assert.True(await _store.DeleteAsync("history-only"));

        Assert.Empty(await _store.ReadRunsAsync("nightly"));
        Assert.Empty(await _store.ReadRunsAsync("history-only"));
        Assert.False(await _store.DeleteAsync("nightly"));
        // Only the lock files the deletes' leases leave behind.
        Assert.All(Directory.GetFiles(_folder.FullName), f => Assert.EndsWith(".lock", f, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Delete_refuses_while_the_name_is_owned_and_keeps_the_history()
    {
        await AppendAsync(1, 1);
        await using (await _store.AcquireAsync("nightly"))
        {
            await Assert.ThrowsAsync<AutomationOwnedException>(async () => await _store.DeleteAsync("nightly"));
        }

        Assert.Single(await _store.ReadRunsAsync("nightly"));
    }

    [Fact]
    public async Task A_history_is_not_listed_as_a_checkpoint()
    {
        await AppendAsync(1, 1);

        Assert.Empty(await _store.ListAsync());
    }

    public static TheoryData<string> Names => new()
    {
        "a/b é",
        new string('é', 36),
        new string('字', AutomationOptions.MaxNameLength),
        string.Concat(Enumerable.Repeat("\U0001F600", AutomationOptions.MaxNameLength / 2)),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Any_valid_name_has_a_history_of_its_own_whose_file_and_temporary_file_fit_every_file_system(string name)
    {
        await AppendAsync(1, 3, keep: 2, name: name);
        var sibling = "x" + name[2..];
        await AppendAsync(1, 1, name: sibling);

        Assert.Equal([3, 2], (await _store.ReadRunsAsync(name)).Select(r => r.Number));
        Assert.Equal([1], (await _store.ReadRunsAsync(sibling)).Select(r => r.Number));
        var file = _store.HistoryPathOf(name);
        Assert.Equal(_folder.FullName, Path.GetDirectoryName(file));
        Assert.StartsWith(Path.GetFileNameWithoutExtension(_store.PathOf(name)) + ".runs.jsonl", Path.GetFileName(file), StringComparison.Ordinal);
        // The retention's temporary file: '.' + stem + ".runs." + 32 hex + ".tmp".
        var stem = Path.GetFileNameWithoutExtension(_store.PathOf(name));
        Assert.InRange(Encoding.UTF8.GetByteCount(stem) + 43, 1, 255);
    }

    [Fact]
    public async Task An_invalid_name_is_refused_before_anything_is_written()
    {
        await Assert.ThrowsAsync<ArgumentException>(async () => await _store.AppendRunAsync(Run(1, "\uD800"), 10));
        await Assert.ThrowsAsync<ArgumentException>(async () => await _store.ReadRunsAsync(new string('a', AutomationOptions.MaxNameLength + 1)));

        Assert.Empty(Directory.GetFiles(_folder.FullName));
    }

    [Fact]
    public async Task A_missing_folder_reads_as_no_history_and_is_not_created()
    {
        var store = new JsonFileAutomationStateStore(Path.Combine(_folder.FullName, "missing"));

        Assert.Empty(await store.ReadRunsAsync("nightly"));
        Assert.False(await store.DeleteAsync("nightly"));
        await store.AppendRunAsync(Run(1), keep: 0);
        Assert.False(Directory.Exists(store.Directory));
    }
}
