
namespace CodexRuntime.Hooks.Tests;

// What the builder adds, seen the way the core sees it: as ICodexRunInterceptor.
public sealed class HookInterceptorTests
{
    [Fact]
    public async Task A_pre_hook_takes_part_in_pre_phases_only()
    {
        var recorder = new Recorder();
        var interceptor = Assert.Single(new ClientConfig().UseHooks(hooks => hooks.Pre("recording-pre", recorder.Pre)).Interceptors);

        var decisions = await TestHooks.CallEveryHandledPhaseAsync(interceptor);

        Assert.Equal("recording-pre", interceptor.Name);
        Assert.Equal(TestHooks.PrePhases, TestHooks.Handled(interceptor));
        Assert.Equal(TestHooks.PrePhases, recorder.Calls);
        Assert.All(decisions, decision => Assert.Same(CodexInterceptorDecision.Continue, decision));
    }

    [Fact]
    public async Task A_post_hook_takes_part_in_post_phases_only_and_continues()
    {
        var recorder = new Recorder();
        var interceptor = Assert.Single(new ClientConfig().UseHooks(hooks => hooks.Post("recording-post", recorder.Post)).Interceptors);

        var decisions = await TestHooks.CallEveryHandledPhaseAsync(interceptor);

        Assert.Equal(TestHooks.PostPhases, TestHooks.Handled(interceptor));
        Assert.Equal(TestHooks.PostPhases, recorder.Calls);
        Assert.All(decisions, decision => Assert.Same(CodexInterceptorDecision.Continue, decision));
    }

    [Fact]
    public void A_hook_that_declares_its_phases_takes_part_in_those_only()
    {
        var hook = new RecordingHook("prompt-only", null, CodexRunPhase.PreRun, CodexRunPhase.PreTurn);
        var added = Assert.Single(new RunProfile().UseHooks(hooks => hooks.Add(hook)).Interceptors);
        var matched = Assert.Single(new ClientConfig().UseHooks(hooks => hooks.Add(hook, HookMatcher.Any)).Interceptors);
        var narrowed = Assert.Single(new ClientConfig().UseHooks(hooks => hooks.Add(hook, HookMatcher.ForPhases(CodexRunPhase.PreTurn, CodexRunPhase.PostTurn))).Interceptors);

        Assert.Same(hook, added); // without a matcher the hook goes in as it is
        Assert.Equal([CodexRunPhase.PreRun, CodexRunPhase.PreTurn], TestHooks.Handled(added));
        Assert.Equal(TestHooks.Handled(added), TestHooks.Handled(matched));
        Assert.Equal([CodexRunPhase.PreTurn], TestHooks.Handled(narrowed)); // the hook's phases and the matcher's, both
        Assert.False(added.Handles(CodexRunPhase.PreSessionStart)); // a block meant for asks cannot stop a session start
    }

    [Fact]
    public void A_run_scoped_shell_hook_goes_on_the_profile_with_its_matcher()
    {
        var profile = new RunProfile().UseHooks(hooks => hooks.Shell("policy", "exit 0", HookMatcher.ForPhases(CodexRunPhase.PreTurn)));

        var interceptor = Assert.Single(profile.Interceptors);
        Assert.Equal("policy", interceptor.Name);
        Assert.Equal([CodexRunPhase.PreTurn], TestHooks.Handled(interceptor));
    }

    [Fact]
    public async Task A_pre_hooks_decision_reaches_the_core_as_it_is()
    {
        var attachment = CodexAttachment.File("notes.md");
        var mutate = CodexInterceptorDecision.Mutate(new CodexRunPatch
        {
            Prompt = "changed",
            Model = "gpt-other",
            AddedAttachments = [attachment],
            Metadata = new Dictionary<string, string> { ["k"] = "v" },
        });
        var block = CodexInterceptorDecision.Block("not today");

        Assert.Same(CodexInterceptorDecision.Continue, await DecideAsync(CodexInterceptorDecision.Continue));
        Assert.Same(mutate, await DecideAsync(mutate));
        Assert.Same(block, await DecideAsync(block));
    }

    [Fact]
    public async Task The_hook_sees_the_cores_context()
    {
        CodexRunContext? seen = null;
        var interceptor = Assert.Single(new ClientConfig().UseHooks(hooks => hooks.Pre("see", (context, _) =>
        {
            seen = context;
            return ValueTask.FromResult(CodexInterceptorDecision.Continue);
        })).Interceptors);
        var run = TestHooks.Context(CodexRunPhase.PreToolUse, "/repo", new CodexToolUse("fileChange", "item-3"), "the prompt", new Dictionary<string, string> { ["a"] = "b" });

        await interceptor.InterceptAsync(run, CancellationToken.None);

        Assert.Same(run, seen);
    }

    private static async Task<CodexInterceptorDecision> DecideAsync(CodexInterceptorDecision decision)
    {
        var interceptor = Assert.Single(new ClientConfig().UseHooks(hooks => hooks.Pre("fixed", new Recorder(decision).Pre)).Interceptors);
        return await interceptor.InterceptAsync(TestHooks.Context(CodexRunPhase.PreTurn), CancellationToken.None);
    }
}
