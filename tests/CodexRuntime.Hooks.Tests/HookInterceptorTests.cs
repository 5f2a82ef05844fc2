using CodexRuntime.Interception;

namespace CodexRuntime.Hooks.Tests;

// The adapters the builders add, seen the way the core sees them: as ICodexRunInterceptor.
public sealed class HookInterceptorTests
{
    [Fact]
    public async Task A_pre_hook_is_called_in_pre_phases_only()
    {
        var hook = new RecordingPreHook();
        var interceptor = Assert.Single(new ClientConfig().WithGlobalPreHook(hook).Interceptors);

        foreach (var phase in Enum.GetValues<CodexRunPhase>())
        {
            var decision = await interceptor.InterceptAsync(TestHooks.Context(phase), CancellationToken.None);
            Assert.Same(CodexInterceptorDecision.Continue, decision);
        }

        Assert.Equal("recording-pre", interceptor.Name);
        Assert.Equal(TestHooks.PrePhases, hook.Calls);
    }

    [Fact]
    public async Task A_post_hook_is_called_in_post_phases_only()
    {
        var hook = new RecordingPostHook();
        var interceptor = Assert.Single(new ClientConfig().WithGlobalPostHook(hook).Interceptors);

        foreach (var phase in Enum.GetValues<CodexRunPhase>())
        {
            Assert.Same(CodexInterceptorDecision.Continue, await interceptor.InterceptAsync(TestHooks.Context(phase), CancellationToken.None));
        }

        Assert.Equal(TestHooks.PostPhases, hook.Calls);
    }

    [Fact]
    public void A_hook_that_declares_its_phases_takes_part_in_those_only()
    {
        var hook = new PromptOnlyHook();
        var viaProfile = Assert.Single(new RunProfile().WithRunPreHook(hook).Interceptors);
        var filtered = Assert.Single(new ClientConfig().WithGlobalPreHook(new FilteredPreHook(HookMatcher.Any, hook)).Interceptors);

        Assert.Equal(
            [CodexRunPhase.PreRun, CodexRunPhase.PreTurn],
            Enum.GetValues<CodexRunPhase>().Where(viaProfile.Handles));
        Assert.Equal(Enum.GetValues<CodexRunPhase>().Where(viaProfile.Handles), Enum.GetValues<CodexRunPhase>().Where(filtered.Handles));
        Assert.False(viaProfile.Handles(CodexRunPhase.PreSessionStart)); // a block meant for asks cannot stop a session start
    }

    [Fact]
    public void A_run_scoped_shell_hook_goes_on_the_profile_with_its_matcher()
    {
        var profile = new RunProfile().WithRunShellPreHook("policy", "exit 0", HookMatcher.ForPhases(CodexRunPhase.PreTurn));

        var interceptor = Assert.Single(profile.Interceptors);
        Assert.Equal("policy", interceptor.Name);
        Assert.Equal([CodexRunPhase.PreTurn], Enum.GetValues<CodexRunPhase>().Where(interceptor.Handles));
    }

    [Fact]
    public async Task Actions_map_to_the_cores_decisions()
    {
        var attachment = CodexAttachment.File("notes.md");
        var patch = new HookPatch
        {
            Prompt = "changed",
            Model = "gpt-other",
            AddedAttachments = [attachment],
            Metadata = new Dictionary<string, string> { ["k"] = "v" },
        };

        var noop = await DecideAsync(HookAction.Noop);
        var mutate = await DecideAsync(HookAction.Mutate(patch));
        var block = await DecideAsync(HookAction.Block("not today"));

        Assert.Equal(CodexInterceptionOutcome.Continued, noop.Outcome);
        Assert.Equal(CodexInterceptionOutcome.Mutated, mutate.Outcome);
        Assert.Equal("changed", mutate.Patch!.Prompt);
        Assert.Equal("gpt-other", mutate.Patch.Model);
        Assert.Same(attachment, Assert.Single(mutate.Patch.AddedAttachments));
        Assert.Equal("v", mutate.Patch.Metadata["k"]);
        Assert.Equal(CodexInterceptionOutcome.Blocked, block.Outcome);
        Assert.Equal("not today", block.Reason);
    }

    [Fact]
    public async Task The_hook_sees_the_cores_context()
    {
        HookContext? seen = null;
        var interceptor = Assert.Single(new ClientConfig().WithGlobalPreHook(new DelegatePreHook("see", context =>
        {
            seen = context;
            return HookAction.Noop;
        })).Interceptors);
        var tool = new CodexToolUse("fileChange", "item-3");
        var run = TestHooks.Context(CodexRunPhase.PreToolUse, "/repo", tool, "the prompt", new Dictionary<string, string> { ["a"] = "b" });

        await interceptor.InterceptAsync(run, CancellationToken.None);

        Assert.NotNull(seen);
        Assert.Same(run, seen.Run);
        Assert.Equal(CodexRunPhase.PreToolUse, seen.Phase);
        Assert.True(seen.IsPre);
        Assert.Equal("/repo", seen.Cwd);
        Assert.Equal("thread-1", seen.ThreadId);
        Assert.Equal("turn-1", seen.TurnId);
        Assert.Equal("the prompt", seen.Prompt);
        Assert.Equal("gpt-test", seen.Model);
        Assert.Empty(seen.Attachments);
        Assert.Equal("b", seen.Metadata["a"]);
        Assert.Same(tool, seen.Tool);
        Assert.Null(seen.Result);
        Assert.Null(seen.Error);
    }

    private static async Task<CodexInterceptorDecision> DecideAsync(HookAction action)
    {
        var interceptor = Assert.Single(new ClientConfig().WithGlobalPreHook(new RecordingPreHook("fixed", action)).Interceptors);
        return await interceptor.InterceptAsync(TestHooks.Context(CodexRunPhase.PreTurn), CancellationToken.None);
    }

    private sealed class PromptOnlyHook : IPreHook
    {
        public string Name => "prompt-only";

        public IReadOnlyCollection<CodexRunPhase> Phases => [CodexRunPhase.PreRun, CodexRunPhase.PreTurn];

        public ValueTask<HookAction> OnPreAsync(HookContext context, CancellationToken cancellationToken) => ValueTask.FromResult(HookAction.Noop);
    }

    private sealed class DelegatePreHook(string name, Func<HookContext, HookAction> decide) : IPreHook
    {
        public string Name => name;

        public ValueTask<HookAction> OnPreAsync(HookContext context, CancellationToken cancellationToken) => ValueTask.FromResult(decide(context));
    }
}
