using CodexRuntime.Interception;

namespace CodexRuntime.Hooks.Tests;

public sealed class HookMatcherTests
{
    private static readonly CodexToolUse Command = new("commandExecution", "item-1", Command: "git push --force");
    private static readonly CodexToolUse FileChange = new("fileChange", "item-2");

    // Must show 5: /a/b matches /a/b and /a/b/c but not /a/bc, in every path style, whatever OS runs the test.
    public static TheoryData<string, string, string, bool> PathBoundaryCases => new()
    {
        // POSIX: case-sensitive, '/' only.
        { "posix", "/a/b", "/a/b", true },
        { "posix", "/a/b", "/a/b/c", true },
        { "posix", "/a/b", "/a/bc", false },
        { "posix", "/a/b/", "/a/b/c", true },
        { "posix", "/a/b", "/a/b/c/", true },
        { "posix", "/a//b", "/a/b/c", true },
        { "posix", "/a/b", "/A/B/c", false },
        { "posix", "/a/b", "/a/b/../bc", false },
        { "posix", "/", "/anything/at/all", true },
        { "posix", "/a/b", "/a", false },
        // Windows drive: both separators, mixed, case-insensitive (path and drive letter).
        { "windows", @"C:\a\b", @"C:\a\b", true },
        { "windows", @"C:\a\b", @"C:\a\b\c", true },
        { "windows", @"C:\a\b", @"C:\a\bc", false },
        { "windows", "c:/a/b", @"C:\a\b\c", true },
        { "windows", "c:/a/b", "C:/a/bc", false },
        { "windows", @"C:\a/b\", @"c:/A\B/c", true },
        { "windows", @"C:\A\B", @"c:\a\b", true },
        { "windows", @"C:\a\b", @"D:\a\b\c", false },
        // UNC: server and share are part of the prefix.
        { "unc", @"\\server\share", @"\\server\share\x", true },
        { "unc", @"\\server\share\x", @"\\SERVER\Share\X\y", true },
        { "unc", @"\\server\share\x", @"\\server\share\xy", false },
        { "unc", @"\\server\share", @"\\server\shared\x", false },
        { "unc", @"\\server\share\", @"\\server/share/x", true },
        // Styles never match each other.
        { "mixed", "/a/b", @"C:\a\b\c", false },
        { "mixed", @"C:\a\b", "/a/b/c", false },
        { "mixed", @"\\a\b", "/a/b/c", false },
    };

    [Theory]
    [MemberData(nameof(PathBoundaryCases))]
    public void A_cwd_prefix_matches_on_a_path_boundary_in_every_path_style(string style, string prefix, string cwd, bool expected)
    {
        Assert.False(string.IsNullOrEmpty(style));
        var matcher = new HookMatcher { CwdPrefix = prefix };

        Assert.Equal(expected, matcher.Matches(TestHooks.Context(CodexRunPhase.PreTurn, cwd)));
        Assert.Equal(expected, HookMatcher.IsAtOrUnder(cwd, prefix));
    }

    [Fact]
    public void An_empty_matcher_matches_every_phase_and_context()
    {
        foreach (var phase in Enum.GetValues<CodexRunPhase>())
        {
            Assert.True(HookMatcher.Any.Matches(TestHooks.Context(phase)));
            Assert.True(new HookMatcher().Matches(TestHooks.HookContext(phase, tool: Command)));
        }
    }

    [Fact]
    public void A_phase_matcher_matches_only_its_phases()
    {
        var matcher = HookMatcher.ForPhases(CodexRunPhase.PreTurn, CodexRunPhase.PostTurn);

        var matched = Enum.GetValues<CodexRunPhase>().Where(phase => matcher.Matches(TestHooks.Context(phase)));

        Assert.Equal([CodexRunPhase.PreTurn, CodexRunPhase.PostTurn], matched);
    }

    [Fact]
    public void A_tool_matcher_matches_only_that_tool_and_never_outside_tool_phases()
    {
        var matcher = new HookMatcher { Tool = "commandExecution" };

        Assert.True(matcher.Matches(TestHooks.Context(CodexRunPhase.PreToolUse, tool: Command)));
        Assert.True(matcher.Matches(TestHooks.Context(CodexRunPhase.PostToolUse, tool: Command)));
        Assert.False(matcher.Matches(TestHooks.Context(CodexRunPhase.PreToolUse, tool: FileChange)));
        Assert.False(matcher.Matches(TestHooks.Context(CodexRunPhase.PreTurn)));
    }

    [Fact]
    public void A_command_prefix_matcher_matches_the_start_of_the_command_line()
    {
        Assert.True(new HookMatcher { CommandPrefix = "git push" }.Matches(TestHooks.Context(CodexRunPhase.PreToolUse, tool: Command)));
        Assert.False(new HookMatcher { CommandPrefix = "git pull" }.Matches(TestHooks.Context(CodexRunPhase.PreToolUse, tool: Command)));
        Assert.False(new HookMatcher { CommandPrefix = "git" }.Matches(TestHooks.Context(CodexRunPhase.PreToolUse, tool: FileChange)));
    }

    [Fact]
    public void Every_set_condition_must_hold()
    {
        var matcher = new HookMatcher { Phases = [CodexRunPhase.PreToolUse], Tool = "commandExecution", CwdPrefix = "/work" };

        Assert.True(matcher.Matches(TestHooks.Context(CodexRunPhase.PreToolUse, "/work/repo", Command)));
        Assert.False(matcher.Matches(TestHooks.Context(CodexRunPhase.PostToolUse, "/work/repo", Command)));
        Assert.False(matcher.Matches(TestHooks.Context(CodexRunPhase.PreToolUse, "/workshop", Command)));
        Assert.False(matcher.Matches(TestHooks.Context(CodexRunPhase.PreToolUse, "/work/repo", FileChange)));
    }

    [Fact]
    public async Task A_filtered_pre_hook_calls_its_hook_only_when_the_matcher_matches()
    {
        var inner = new RecordingPreHook("guard", HookAction.Block("no"));
        var filtered = new FilteredPreHook(new HookMatcher { CwdPrefix = "/a/b" }, inner);

        var matched = await filtered.OnPreAsync(TestHooks.HookContext(CodexRunPhase.PreTurn, "/a/b/c"), CancellationToken.None);
        var skipped = await filtered.OnPreAsync(TestHooks.HookContext(CodexRunPhase.PreTurn, "/a/bc"), CancellationToken.None);

        Assert.Equal("guard", filtered.Name);
        Assert.Equal(HookActionKind.Block, matched.Kind);
        Assert.Same(HookAction.Noop, skipped);
        Assert.Equal([CodexRunPhase.PreTurn], inner.Calls);
    }

    [Fact]
    public async Task A_filtered_post_hook_calls_its_hook_only_when_the_matcher_matches()
    {
        var inner = new RecordingPostHook("audit");
        var filtered = new FilteredPostHook(new HookMatcher { Tool = "fileChange" }, inner);

        await filtered.OnPostAsync(TestHooks.HookContext(CodexRunPhase.PostToolUse, tool: FileChange), CancellationToken.None);
        await filtered.OnPostAsync(TestHooks.HookContext(CodexRunPhase.PostToolUse, tool: Command), CancellationToken.None);
        await filtered.OnPostAsync(TestHooks.HookContext(CodexRunPhase.PostTurn), CancellationToken.None);

        Assert.Equal("audit", filtered.Name);
        Assert.Equal([CodexRunPhase.PostToolUse], inner.Calls);
    }
}
