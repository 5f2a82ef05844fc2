using CodexRuntime.Interception;

namespace CodexRuntime.Hooks.Tests;

public sealed class HookBuilderTests
{
    [Fact]
    public void Global_builders_add_to_the_client_and_run_builders_to_the_profile()
    {
        var client = new ClientConfig()
            .WithGlobalPreHook(new RecordingPreHook("g-pre"))
            .WithGlobalPostHook(new RecordingPostHook("g-post"))
            .WithGlobalPreToolUseHook(new RecordingPreHook("g-tool"))
            .WithShellPreHook("g-shell-pre", "true")
            .WithShellPostHook("g-shell-post", "true", HookMatcher.ForPhases(CodexRunPhase.PostTurn));
        var profile = new RunProfile()
            .WithRunPreHook(new RecordingPreHook("r-pre"))
            .WithRunPostHook(new RecordingPostHook("r-post"));

        Assert.Equal(["g-pre", "g-post", "g-tool", "g-shell-pre", "g-shell-post"], client.Interceptors.Select(i => i.Name));
        Assert.Equal(["r-pre", "r-post"], profile.Interceptors.Select(i => i.Name));
        Assert.Empty(client.DefaultProfile.Interceptors);
    }

    [Fact]
    public void Workflow_builders_add_to_its_client_and_session_builders_to_its_profile()
    {
        var workflow = new WorkflowConfig("/tmp")
            .WithGlobalPreHook(new RecordingPreHook("w-pre"))
            .WithGlobalPostHook(new RecordingPostHook("w-post"))
            .WithGlobalPreToolUseHook(new RecordingPreHook("w-tool"))
            .WithShellPreHook("w-shell", "true")
            .WithShellPostHook("w-shell-post", "true");
        var session = new SessionConfig("/tmp", new RunProfile())
            .WithRunPreHook(new RecordingPreHook("s-pre"))
            .WithRunPostHook(new RecordingPostHook("s-post"));

        Assert.Equal(["w-pre", "w-post", "w-tool", "w-shell", "w-shell-post"], workflow.Client.Interceptors.Select(i => i.Name));
        Assert.Empty(workflow.Profile.Interceptors);
        Assert.Equal(["s-pre", "s-post"], session.Profile!.Interceptors.Select(i => i.Name));
    }

    [Fact]
    public void A_session_without_a_profile_refuses_run_hooks_and_names_the_fix()
    {
        var session = new SessionConfig("/tmp");

        var error = Assert.Throws<InvalidOperationException>(() => session.WithRunPreHook(new RecordingPreHook()));

        Assert.Contains("SessionConfig.Profile", error.Message, StringComparison.Ordinal);
        Assert.Contains("DefaultProfile.Clone()", error.Message, StringComparison.Ordinal);
        Assert.Null(session.Profile);
    }

    [Fact]
    public async Task A_hook_with_an_existing_name_replaces_it_in_place()
    {
        var first = new RecordingPreHook("same");
        var second = new RecordingPreHook("same", HookAction.Block("second"));
        var client = new ClientConfig()
            .WithGlobalPreHook(first)
            .WithGlobalPreHook(new RecordingPreHook("other"))
            .WithGlobalPreHook(second);

        Assert.Equal(["same", "other"], client.Interceptors.Select(i => i.Name));
        var decision = await client.Interceptors[0].InterceptAsync(TestHooks.Context(CodexRunPhase.PreTurn), CancellationToken.None);
        Assert.Equal("second", decision.Reason);
        Assert.Empty(first.Calls);
    }

    [Fact]
    public async Task A_pre_and_a_post_hook_of_one_name_share_one_adapter_and_both_run()
    {
        var pre = new RecordingPreHook("both");
        var post = new RecordingPostHook("both");
        var profile = new RunProfile().WithRunPreHook(pre).WithRunPostHook(post);

        var interceptor = Assert.Single(profile.Interceptors);
        foreach (var phase in Enum.GetValues<CodexRunPhase>())
        {
            await interceptor.InterceptAsync(TestHooks.Context(phase), CancellationToken.None);
        }

        Assert.Equal(TestHooks.PrePhases, pre.Calls);
        Assert.Equal(TestHooks.PostPhases, post.Calls);
    }

    [Fact]
    public async Task A_pre_tool_use_hook_is_called_in_pre_tool_use_only()
    {
        var hook = new RecordingPreHook("tools");
        var interceptor = Assert.Single(new ClientConfig().WithGlobalPreToolUseHook(hook).Interceptors);

        foreach (var phase in Enum.GetValues<CodexRunPhase>())
        {
            await interceptor.InterceptAsync(TestHooks.Context(phase, tool: new CodexToolUse("commandExecution", "i")), CancellationToken.None);
        }

        Assert.Equal([CodexRunPhase.PreToolUse], hook.Calls);
    }

    [Fact]
    public async Task A_shell_hook_added_by_a_builder_blocks_through_the_adapter()
    {
        var interceptor = Assert.Single(new ClientConfig().WithShellPreHook("deny", "echo 'denied by policy' >&2; exit 2").Interceptors);

        var decision = await interceptor.InterceptAsync(TestHooks.Context(CodexRunPhase.PreTurn, "/tmp"), CancellationToken.None);

        Assert.Equal(CodexInterceptionOutcome.Blocked, decision.Outcome);
        Assert.Equal("denied by policy", decision.Reason);
    }

    [Fact]
    public async Task A_shell_hook_matcher_keeps_other_phases_from_starting_a_process()
    {
        var interceptor = Assert.Single(new ClientConfig()
            .WithShellPreHook("tool-only", "exit 2", new HookMatcher { Tool = "commandExecution" }).Interceptors);

        var turn = await interceptor.InterceptAsync(TestHooks.Context(CodexRunPhase.PreTurn, "/tmp"), CancellationToken.None);
        var tool = await interceptor.InterceptAsync(TestHooks.Context(CodexRunPhase.PreToolUse, "/tmp", new CodexToolUse("commandExecution", "i")), CancellationToken.None);

        Assert.Equal(CodexInterceptionOutcome.Continued, turn.Outcome);
        Assert.Equal(CodexInterceptionOutcome.Blocked, tool.Outcome);
    }

    [Fact]
    public async Task The_shell_timeout_set_on_a_config_applies_to_shell_hooks_added_afterwards()
    {
        var client = new ClientConfig()
            .WithShellPreHook("before", "true")
            .WithShellPreHookTimeout(TimeSpan.FromMilliseconds(300))
            .WithShellPreHook("after", "exec sleep 30")
            .WithShellPreHook("explicit", "exec sleep 30", timeout: TimeSpan.FromMilliseconds(200));

        var after = await Assert.ThrowsAsync<HookTimeoutException>(
            () => client.Interceptors[1].InterceptAsync(TestHooks.Context(CodexRunPhase.PreTurn, "/tmp"), CancellationToken.None).AsTask());
        var explicitly = await Assert.ThrowsAsync<HookTimeoutException>(
            () => client.Interceptors[2].InterceptAsync(TestHooks.Context(CodexRunPhase.PreTurn, "/tmp"), CancellationToken.None).AsTask());

        Assert.Equal(TimeSpan.FromMilliseconds(300), after.Timeout);
        Assert.Equal(TimeSpan.FromMilliseconds(200), explicitly.Timeout);
        var workflow = new WorkflowConfig("/tmp").WithShellPreHookTimeout(TimeSpan.FromMilliseconds(250)).WithShellPostHook("w", "exec sleep 30");
        var post = await Assert.ThrowsAsync<HookTimeoutException>(
            () => Assert.Single(workflow.Client.Interceptors).InterceptAsync(TestHooks.Context(CodexRunPhase.PostTurn, "/tmp"), CancellationToken.None).AsTask());
        Assert.Equal(TimeSpan.FromMilliseconds(250), post.Timeout);
    }
}
