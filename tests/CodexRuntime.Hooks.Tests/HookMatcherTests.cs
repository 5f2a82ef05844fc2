
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
            Assert.True(new HookMatcher().Matches(TestHooks.Context(phase, tool: Command)));
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
    public void The_pre_and_post_matchers_match_their_half_of_the_phases()
    {
        Assert.Equal(TestHooks.PrePhases, Enum.GetValues<CodexRunPhase>().Where(phase => HookMatcher.Pre.Matches(TestHooks.Context(phase))));
        Assert.Equal(TestHooks.PostPhases, Enum.GetValues<CodexRunPhase>().Where(phase => HookMatcher.Post.Matches(TestHooks.Context(phase))));
    }

    [Fact]
    public async Task A_matched_pre_hook_is_called_only_when_the_matcher_matches()
    {
        var inner = new Recorder(CodexInterceptorDecision.Block("no"));
        var matched = Assert.Single(new ClientConfig().UseHooks(hooks => hooks.Pre("guard", inner.Pre, new HookMatcher { CwdPrefix = "/a/b" })).Interceptors);

        var hit = await matched.InterceptAsync(TestHooks.Context(CodexRunPhase.PreTurn, "/a/b/c"), CancellationToken.None);
        var skipped = await matched.InterceptAsync(TestHooks.Context(CodexRunPhase.PreTurn, "/a/bc"), CancellationToken.None);

        Assert.Equal("guard", matched.Name);
        Assert.Equal(CodexInterceptionOutcome.Blocked, hit.Outcome);
        Assert.Same(CodexInterceptorDecision.Continue, skipped);
        Assert.Equal([CodexRunPhase.PreTurn], inner.Calls);
    }

    [Fact]
    public async Task A_matched_post_hook_is_called_only_when_the_matcher_matches()
    {
        var inner = new Recorder();
        var matched = Assert.Single(new ClientConfig().UseHooks(hooks => hooks.Post("audit", inner.Post, new HookMatcher { Tool = "fileChange" })).Interceptors);

        await matched.InterceptAsync(TestHooks.Context(CodexRunPhase.PostToolUse, tool: FileChange), CancellationToken.None);
        await matched.InterceptAsync(TestHooks.Context(CodexRunPhase.PostToolUse, tool: Command), CancellationToken.None);
        await matched.InterceptAsync(TestHooks.Context(CodexRunPhase.PostTurn), CancellationToken.None);

        Assert.Equal("audit", matched.Name);
        Assert.Equal([CodexRunPhase.PostToolUse], inner.Calls);
    }
}
