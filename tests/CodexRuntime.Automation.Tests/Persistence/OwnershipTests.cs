using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using CodexRuntime.Automation.Tests.Support;
using CodexRuntime.IntegrationTests.Support;
using CodexRuntime.Tests.Shared;

namespace CodexRuntime.Automation.Tests.Persistence;

/// <summary>
/// An automation owns its name on a state store: a second start of the same name (this process or another) is refused
/// naming the owner, a crashed owner's successor takes over, and two processes racing for one name run each due point
/// exactly once between them.
/// </summary>
public sealed class OwnershipTests : ScriptedCodexOnStore
{
    // Not due for an hour on the fake clock: nothing runs, so the files change only if a start writes them.
    private static readonly AutomationSpec EveryTenSeconds = new() { Prompt = "check", StartAt = ScriptedCodex.Start.AddHours(1), Every = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task A_second_start_of_the_same_name_in_this_process_is_refused_naming_the_owner()
    {
        await using var first = await Codex.RunAsync(EveryTenSeconds, Store, "nightly");
        var before = await File.ReadAllTextAsync(Store.PathOf("nightly"));

        var refused = await Assert.ThrowsAsync<AutomationOwnedException>(() => Codex.RunAsync(EveryTenSeconds, Store, "nightly"));

        Assert.Equal(AutomationOwner.Current, refused.Owner);
        Assert.Equal("nightly", refused.AutomationName);
        Assert.Contains($"process {Environment.ProcessId} on host '{Environment.MachineName}'", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllTextAsync(Store.PathOf("nightly")));
        Assert.Equal(AutomationState.Waiting, first.Status.State);
        // Another name on the same store is its own owner.
        await using var other = await Codex.RunAsync(EveryTenSeconds, Store, "weekly");
    }

    [Fact]
    public async Task The_name_is_free_again_once_the_owner_stopped_or_let_go()
    {
        var first = await Codex.RunAsync(EveryTenSeconds, Store, "nightly");
        await first.StopAsync().WaitAsync(ScriptedCodex.Deadline);
        var second = await Codex.RunAsync(EveryTenSeconds, Store, "nightly");
        await second.DisposeAsync();   // the crash path lets go too

        await using var third = await Codex.RunAsync(EveryTenSeconds, Store, "nightly");

        Assert.Equal(AutomationState.Waiting, third.Status.State);
    }

    [Fact]
    public async Task A_lock_file_left_by_an_owner_whose_process_is_gone_is_taken_over()
    {
        var gone = await ExitedProcessAsync();
        var stem = Path.GetFileNameWithoutExtension(Store.PathOf("nightly"));
        await File.WriteAllTextAsync(Path.Combine(Folder.FullName, stem + ".lock"), "");
        var owner = new JsonObject { ["hostName"] = Environment.MachineName, ["processId"] = gone.Id, ["processStartedAt"] = gone.StartedAt.ToString("O", CultureInfo.InvariantCulture) };
        await File.WriteAllTextAsync(Path.Combine(Folder.FullName, stem + ".owner"), owner.ToJsonString());

        await using var successor = await Codex.RunAsync(EveryTenSeconds, Store, "nightly");

        Assert.Equal(AutomationState.Waiting, successor.Status.State);
        var recorded = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Folder.FullName, stem + ".owner")))!;
        Assert.Equal(Environment.ProcessId, (int)recorded["processId"]!);
        var refused = await Assert.ThrowsAsync<AutomationOwnedException>(() => Codex.RunAsync(EveryTenSeconds, Store, "nightly"));
        Assert.Equal(AutomationOwner.Current, refused.Owner);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Two_processes_starting_the_same_automation_run_each_due_point_exactly_once_between_them(bool hosted)
    {
        // Both race for the name once both are ready; the owner crashes after two runs, the other (refused meanwhile:
        // retrying itself, or as a hosted replica standing by) takes over and runs to MaxRuns.
        const int MaxRuns = 4;
        const int IntervalMs = 300;
        var workers = new[] { StartWorker(MaxRuns, IntervalMs, hosted), StartWorker(MaxRuns, IntervalMs, hosted) };
        var results = await Task.WhenAll(workers);

        var report = string.Join("\n=====\n", results.Select(r => r.Report));
        Assert.All(results, r => Assert.False(r.TimedOut, report));
        var lines = results.SelectMany(r => r.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        var runs = lines.Where(l => l.StartsWith("RUN ", StringComparison.Ordinal)).Select(l => l.Split(' ')).ToList();
        Assert.Equal([1, 2, 3, 4], runs.Select(r => int.Parse(r[1], CultureInfo.InvariantCulture)).Order());
        Assert.All(runs, r => Assert.Equal("True", r[3]));
        // Every run reached codex once: no due point was run by both processes.
        Assert.Equal(MaxRuns, lines.Count(l => l == "TURN"));
        var due = runs.OrderBy(r => int.Parse(r[1], CultureInfo.InvariantCulture)).Select(r => DateTimeOffset.Parse(r[2], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(due.Count, due.Distinct().Count());
        Assert.True(due.SequenceEqual(due.Order()), report);
        // One process owned first and crashed after two runs (exit code 3, or killed when hosted); the other ran the rest and ended.
        Assert.Single(results, r => r.ExitCode == 0);
        Assert.Contains(results, r => r.ExitCode != 0 && r.Output.Contains("OWNER", StringComparison.Ordinal) && !r.Output.Contains("END", StringComparison.Ordinal));
        Assert.Contains(results, r => r.ExitCode == 0 && r.Output.Contains(hosted ? "STANDBY" : "REFUSED", StringComparison.Ordinal) && r.Output.Contains($"END Stopped {MaxRuns}", StringComparison.Ordinal));
        Assert.Equal(MaxRuns, (await Store.LoadAsync("shared"))!.RunsCompleted);
    }

    private Task<ChildProcessRun.Result> StartWorker(int maxRuns, int intervalMs, bool hosted)
    {
        var configuration = typeof(OwnershipTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var dll = Path.Combine(RepositoryLayout.Root, "tests", "CodexRuntime.Automation.Worker", "bin", configuration, "net10.0", "CodexRuntime.Automation.Worker.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing; build this test project (it builds the worker) first.");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet");
        foreach (var argument in new[] { dll, Folder.FullName, "shared", intervalMs.ToString(CultureInfo.InvariantCulture), maxRuns.ToString(CultureInfo.InvariantCulture), "2", Path.Combine(Folder.FullName, "barrier"), "2", hosted ? "hosted" : "direct" })
        {
            start.ArgumentList.Add(argument);
        }

        return ChildProcessRun.RunAsync(start, TimeSpan.FromSeconds(90));
    }

    /// <summary>A process that ran and exited: its id and start time name an owner that is gone.</summary>
    private static async Task<(int Id, DateTimeOffset StartedAt)> ExitedProcessAsync()
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", "--version") { RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        var startedAt = new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero);
        _ = process.StandardOutput.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(deadline.Token);
        return (process.Id, startedAt);
    }
}
