
namespace CodexRuntime.Hooks.Tests;

public sealed class HookBuilderTests
{
    [Fact]
    public void Client_hooks_go_to_the_clients_interceptors_and_profile_hooks_to_the_profiles()
    {
        var recorder = new Recorder();
        var client = new ClientConfig().UseHooks(hooks => hooks
            .Pre("g-pre", recorder.Pre)
            .Post("g-post", recorder.Post)
            .Pre("g-tool", recorder.Pre, HookMatcher.ForPhases(CodexRunPhase.PreToolUse))
            .Shell("g-shell-pre", "true", HookMatcher.Pre)
            .Shell("g-shell-post", "true", HookMatcher.ForPhases(CodexRunPhase.PostTurn)));
        var profile = new RunProfile().UseHooks(hooks => hooks
            .Add(new RecordingHook("r-class"))
            .Post("r-post", recorder.Post));

        Assert.Equal(["g-pre", "g-post", "g-tool", "g-shell-pre", "g-shell-post"], client.Interceptors.Select(i => i.Name));
        Assert.Equal(["r-class", "r-post"], profile.Interceptors.Select(i => i.Name));
        Assert.Empty(client.DefaultProfile.Interceptors);
    }

    [Fact]
    public void A_workflow_and_a_session_take_hooks_through_their_client_and_profile()
    {
        var recorder = new Recorder();
        var workflow = new WorkflowConfig("/tmp");
        workflow.Client.UseHooks(hooks => hooks.Pre("w-pre", recorder.Pre).Shell("w-shell", "true", HookMatcher.Post));
        workflow.Profile.UseHooks(hooks => hooks.Pre("w-run", recorder.Pre));
        var session = new SessionConfig("/tmp", new RunProfile().UseHooks(hooks => hooks.Pre("s-pre", recorder.Pre).Post("s-post", recorder.Post)));

        Assert.Equal(["w-pre", "w-shell"], workflow.Client.Interceptors.Select(i => i.Name));
        Assert.Equal(["w-run"], workflow.Profile.Interceptors.Select(i => i.Name));
        Assert.Equal(["s-pre", "s-post"], session.Profile!.Interceptors.Select(i => i.Name));
    }

    [Fact]
    public async Task A_hook_with_an_existing_name_replaces_it_in_place()
    {
        var first = new RecordingHook("same");
        var second = new RecordingHook("same", CodexInterceptorDecision.Block("second"));
        var client = new ClientConfig().UseHooks(hooks => hooks
            .Add(first)
            .Add(new RecordingHook("other")))
            .UseHooks(hooks => hooks.Add(second));

        Assert.Equal(["same", "other"], client.Interceptors.Select(i => i.Name));
        Assert.Same(second, client.Interceptors[0]);
        var decision = await client.Interceptors[0].InterceptAsync(TestHooks.Context(CodexRunPhase.PreTurn), CancellationToken.None);
        Assert.Equal("second", decision.Reason);
        Assert.Empty(first.Calls);
    }

    [Fact]
    public async Task A_pre_and_a_post_hook_of_one_name_share_one_interceptor_and_both_run()
    {
        var pre = new Recorder();
        var post = new Recorder();
        var replaced = new Recorder();
        var profile = new RunProfile().UseHooks(hooks => hooks.Pre("both", replaced.Pre).Post("both", post.Post).Pre("both", pre.Pre));

        var interceptor = Assert.Single(profile.Interceptors);
        Assert.Equal(Enum.GetValues<CodexRunPhase>(), TestHooks.Handled(interceptor));
        await TestHooks.CallEveryHandledPhaseAsync(interceptor);

        Assert.Equal(TestHooks.PrePhases, pre.Calls);
        Assert.Equal(TestHooks.PostPhases, post.Calls);
        Assert.Empty(replaced.Calls); // the later pre hook replaced the pre half only
    }

    [Fact]
    public async Task A_hook_for_every_phase_replaces_both_halves_of_its_name()
    {
        var halves = new Recorder();
        var whole = new RecordingHook("name");
        var client = new ClientConfig().UseHooks(hooks => hooks.Pre("name", halves.Pre).Post("name", halves.Post).Add(whole));

        Assert.Same(whole, Assert.Single(client.Interceptors));
        await TestHooks.CallEveryHandledPhaseAsync(client.Interceptors[0]);
        Assert.Empty(halves.Calls);
        Assert.Equal(Enum.GetValues<CodexRunPhase>(), whole.Calls);
    }

    [Fact]
    public async Task A_pre_tool_use_hook_is_called_in_pre_tool_use_only()
    {
        var recorder = new Recorder();
        var interceptor = Assert.Single(new ClientConfig().UseHooks(hooks => hooks.Pre("tools", recorder.Pre, HookMatcher.ForPhases(CodexRunPhase.PreToolUse))).Interceptors);

        // Even called in every phase, the matcher lets PreToolUse through only.
        foreach (var phase in Enum.GetValues<CodexRunPhase>())
        {
            await interceptor.InterceptAsync(TestHooks.Context(phase, tool: new CodexToolUse("commandExecution", "i")), CancellationToken.None);
        }

        Assert.Equal([CodexRunPhase.PreToolUse], recorder.Calls);
        Assert.Equal([CodexRunPhase.PreToolUse], TestHooks.Handled(interceptor));
    }

    [Fact]
    public async Task A_shell_hook_added_by_the_builder_blocks()
    {
        var interceptor = Assert.Single(new ClientConfig().UseHooks(hooks => hooks.Shell("deny", "echo 'denied by policy' >&2; exit 2", HookMatcher.Pre)).Interceptors);

        var decision = await interceptor.InterceptAsync(TestHooks.Context(CodexRunPhase.PreTurn, "/tmp"), CancellationToken.None);

        Assert.Equal(CodexInterceptionOutcome.Blocked, decision.Outcome);
        Assert.Equal("denied by policy", decision.Reason);
        Assert.Equal(TestHooks.PrePhases, TestHooks.Handled(interceptor));
    }

    [Fact]
    public async Task A_shell_hook_matcher_keeps_other_calls_from_starting_a_process()
    {
        var interceptor = Assert.Single(new ClientConfig()
            .UseHooks(hooks => hooks.Shell("tool-only", "exit 2", new HookMatcher { Tool = "commandExecution" })).Interceptors);

        var turn = await interceptor.InterceptAsync(TestHooks.Context(CodexRunPhase.PreTurn, "/tmp"), CancellationToken.None);
        var tool = await interceptor.InterceptAsync(TestHooks.Context(CodexRunPhase.PreToolUse, "/tmp", new CodexToolUse("commandExecution", "i")), CancellationToken.None);

        Assert.Equal(CodexInterceptionOutcome.Continued, turn.Outcome);
        Assert.Equal(CodexInterceptionOutcome.Blocked, tool.Outcome);
    }

    [Fact]
    public async Task The_shell_timeout_applies_to_shell_hooks_added_afterwards_by_the_same_builder_only()
    {
        var client = new ClientConfig().UseHooks(hooks =>
        {
            hooks.Shell("before", "true", HookMatcher.Pre);
            hooks.ShellTimeout = TimeSpan.FromMilliseconds(300);
            hooks.Shell("after", "exec sleep 30", HookMatcher.Pre)
                .Shell("explicit", "exec sleep 30", HookMatcher.Pre, TimeSpan.FromMilliseconds(200));
            Assert.Throws<ArgumentOutOfRangeException>(() => hooks.ShellTimeout = TimeSpan.Zero);
        });

        var after = await Assert.ThrowsAsync<HookTimeoutException>(
            () => client.Interceptors[1].InterceptAsync(TestHooks.Context(CodexRunPhase.PreTurn, "/tmp"), CancellationToken.None).AsTask());
        var explicitly = await Assert.ThrowsAsync<HookTimeoutException>(
            () => client.Interceptors[2].InterceptAsync(TestHooks.Context(CodexRunPhase.PreTurn, "/tmp"), CancellationToken.None).AsTask());

        Assert.Equal(TimeSpan.FromMilliseconds(300), after.Timeout);
        Assert.Equal(TimeSpan.FromMilliseconds(200), explicitly.Timeout);
        // The timeout is the builder's: nothing is remembered on the configuration for the next UseHooks.
        client.UseHooks(hooks => Assert.Equal(ShellCommandHook.DefaultTimeout, hooks.ShellTimeout));
    }
}
