using System.Text.RegularExpressions;
using CodexRuntime.Automation.Persistence;
using CodexRuntime.Automation.Tests.Support;

namespace CodexRuntime.Automation.Tests.Persistence;

/// <summary>
/// Any valid name up to <see cref="AutomationOptions.MaxNameLength"/> has its own checkpoint file that fits every
/// file system's 255-byte name limit (with the temporary file beside it); a name that is not valid Unicode or is too
/// long is refused up front, with nothing written.
/// </summary>
public sealed class AutomationNameTests : IDisposable
{
    private static readonly string ThirtySixE = new('é', 36);
    private static readonly string TwentyFourCjk = new('字', 24);
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("codex-automation-store-");

    public void Dispose() => _folder.Delete(recursive: true);

    public static TheoryData<string> LongNames => new()
    {
        ThirtySixE,
        TwentyFourCjk,
        new string('a', AutomationOptions.MaxNameLength),
        new string('字', AutomationOptions.MaxNameLength),
        string.Concat(Enumerable.Repeat("\U0001F600", AutomationOptions.MaxNameLength / 2)),
    };

    [Theory]
    [MemberData(nameof(LongNames))]
    public async Task A_long_name_round_trips_in_a_file_whose_name_fits_every_file_system(string name)
    {
        var store = new JsonFileAutomationStateStore(_folder.FullName);
        var checkpoint = new AutomationCheckpoint(name, "thread-1", 3, DateTimeOffset.Parse("2026-01-05T09:00:30Z"), DateTimeOffset.Parse("2026-01-05T09:00:00Z"), null, null, AutomationState.Waiting, null);

        await store.SaveAsync(checkpoint);
        await store.SaveAsync(checkpoint with { RunsCompleted = 4 });

        Assert.Equal(checkpoint with { RunsCompleted = 4 }, await store.LoadAsync(name));
        var file = Assert.Single(Directory.GetFiles(_folder.FullName));
        Assert.Equal(store.PathOf(name), file);
        // The temporary file of a save is the longest name the store writes: '.' + file name + '.' + 32 hex + ".tmp".
        Assert.InRange(Path.GetFileName(file).Length + 38, 1, 255);
    }

    [Fact]
    public async Task An_automation_with_a_name_of_36_e_acute_runs_and_keeps_its_checkpoint()
    {
        await using var codex = await ScriptedCodex.StartAsync();
        var store = new JsonFileAutomationStateStore(_folder.FullName);

        await using var automation = await codex.RunAsync(new AutomationSpec { Prompt = "check", Every = TimeSpan.FromSeconds(10) }, store, ThirtySixE);
        await (await codex.NextTurnAsync()).CompleteAsync();
        await automation.WaitForRunAsync(1);

        Assert.Equal(AutomationState.Waiting, automation.Status.State);
        Assert.Equal(1, (await store.LoadAsync(ThirtySixE))!.RunsCompleted);
    }

    [Fact]
    public void Short_names_keep_their_file_names_so_existing_checkpoints_still_load()
    {
        var store = new JsonFileAutomationStateStore(_folder.FullName);

        Assert.Equal("nightly-review_2.json", Path.GetFileName(store.PathOf("nightly-review_2")));
        Assert.Equal("a%2Fb%20%C3%A9.json", Path.GetFileName(store.PathOf("a/b é")));
        // The longest escaped form that worked before (212 characters) is still used as it is.
        Assert.Equal(new string('x', 212) + ".json", Path.GetFileName(store.PathOf(new string('x', 212))));
    }

    public static TheoryData<string, string> DistinctNames => new()
    {
        { ThirtySixE, new string('é', 35) + "e" },
        { ThirtySixE, new string('é', 37) },
        { new string('x', 212), new string('x', 213) },
        { new string('x', 213), new string('x', 214) },
        { "a/b", "a%2Fb" },
        { "\uFFFD", "%EF%BF%BD" },
        { new string('é', 50) + "a", new string('é', 50) + "b" },
    };

    [Theory]
    [MemberData(nameof(DistinctNames))]
    public async Task Distinct_names_have_distinct_files(string one, string other)
    {
        var store = new JsonFileAutomationStateStore(_folder.FullName);

        Assert.NotEqual(store.PathOf(one), store.PathOf(other));
        await store.SaveAsync(new AutomationCheckpoint(one, null, 1, null, null, null, null, AutomationState.Stopped, null));
        await store.SaveAsync(new AutomationCheckpoint(other, null, 2, null, null, null, null, AutomationState.Stopped, null));
        Assert.Equal(1, (await store.LoadAsync(one))!.RunsCompleted);
        Assert.Equal(2, (await store.LoadAsync(other))!.RunsCompleted);
    }

    // Written escaped (\\uXXXX) and unescaped in the test: xUnit's discovery turns a lone surrogate in theory data into U+FFFD.
    public static TheoryData<string, string> RefusedNames => new()
    {
        { @"\uD800", "unpaired surrogate (U+D800 at index 0)" },
        { @"ok\uDC00", "unpaired surrogate (U+DC00 at index 2)" },
        { @"\uDE00\uD83D", "unpaired surrogate (U+DE00 at index 0)" },
        { new string('a', AutomationOptions.MaxNameLength + 1), $"the longest name is {AutomationOptions.MaxNameLength}" },
    };

    [Theory]
    [MemberData(nameof(RefusedNames))]
    public async Task A_name_that_is_not_valid_unicode_or_too_long_is_refused_by_the_store_with_nothing_written(string name, string said)
    {
        name = Regex.Unescape(name);
        var store = new JsonFileAutomationStateStore(_folder.FullName);

        var save = await Assert.ThrowsAsync<ArgumentException>(() => store.SaveAsync(new AutomationCheckpoint(name, null, 0, null, null, null, null, AutomationState.Stopped, null)).AsTask());
        var load = await Assert.ThrowsAsync<ArgumentException>(() => store.LoadAsync(name).AsTask());

        Assert.Contains(said, save.Message, StringComparison.Ordinal);
        Assert.Contains(said, load.Message, StringComparison.Ordinal);
        Assert.Empty(_folder.GetFileSystemInfos());
    }

    [Theory]
    [MemberData(nameof(RefusedNames))]
    public async Task A_name_that_is_not_valid_unicode_or_too_long_is_refused_at_start_with_nothing_written(string name, string said)
    {
        name = Regex.Unescape(name);
        await using var codex = await ScriptedCodex.StartAsync();
        var store = new JsonFileAutomationStateStore(_folder.FullName);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => codex.RunAsync(new AutomationSpec { Prompt = "check", Every = TimeSpan.FromSeconds(10) }, store, name));

        Assert.Contains("AutomationOptions.Name", error.Message, StringComparison.Ordinal);
        Assert.Contains(said, error.Message, StringComparison.Ordinal);
        Assert.Empty(_folder.GetFileSystemInfos());
        Assert.Equal(0, codex.TurnStarts);
    }

    [Theory]
    [InlineData("CON", "%43ON")]
    [InlineData("nul", "%6Eul")]
    [InlineData("Com1", "%43om1")]
    [InlineData("lpt9", "%6Cpt9")]
    [InlineData("AUX", "%41UX")]
    public void On_windows_a_device_name_gets_its_own_escaped_file_name_and_elsewhere_keeps_its_old_one(string name, string windowsStem)
    {
        Assert.Equal(windowsStem, CheckpointFileName.For(name, windows: true));
        Assert.Equal(name, CheckpointFileName.For(name, windows: false));
        // Escaping never turns a letter into %XX, so no other name shares the Windows stem.
        Assert.Equal("%2543ON", CheckpointFileName.For("%43ON", windows: true));
        Assert.Equal(["CONSOLE", "COM10", "NUL_", "con-1"], new[] { "CONSOLE", "COM10", "NUL_", "con-1" }.Select(n => CheckpointFileName.For(n, windows: true)));
    }
}
