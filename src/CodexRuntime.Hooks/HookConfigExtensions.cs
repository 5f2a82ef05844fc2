using System.Runtime.CompilerServices;
using CodexRuntime.Interception;

namespace CodexRuntime.Hooks;

/// <summary>
/// Global hooks: adds hooks to <see cref="ClientConfig.Interceptors"/> (directly, or through
/// <see cref="WorkflowConfig.Client"/>), so they run in every run and session of the client. Each method returns the
/// same configuration.
/// </summary>
/// <remarks>
/// Hooks run in the order they were added. Adding a hook whose name is already in the list replaces it in place
/// (a pre hook replaces the pre half, a post hook the post half: one name can have one of each). A run-scoped hook
/// (<see cref="HookProfileExtensions"/>) of the same name replaces the global one for that run (done by the core).
/// </remarks>
public static class HookConfigExtensions
{
    private static readonly ConditionalWeakTable<ClientConfig, StrongBox<TimeSpan>> ShellTimeouts = new();

    /// <summary>Adds a global pre hook (PreRun, PreSessionStart, PreTurn, PreToolUse).</summary>
    /// <param name="config">The client configuration.</param>
    /// <param name="hook">The hook.</param>
    /// <returns>The same configuration.</returns>
    public static ClientConfig WithGlobalPreHook(this ClientConfig config, IPreHook hook) =>
        HookInterceptor.WithPre(config, c => c.Interceptors, hook);

    /// <summary>Adds a global post hook (PostRun, PostSessionStart, PostTurn, PostToolUse).</summary>
    /// <param name="config">The client configuration.</param>
    /// <param name="hook">The hook.</param>
    /// <returns>The same configuration.</returns>
    public static ClientConfig WithGlobalPostHook(this ClientConfig config, IPostHook hook) =>
        HookInterceptor.WithPost(config, c => c.Interceptors, hook);

    /// <summary>
    /// Adds a global pre hook called in <see cref="CodexRunPhase.PreToolUse"/> only (command and file-change approval
    /// requests): a block declines the tool, noop leaves the decision to the approval policy.
    /// </summary>
    /// <param name="config">The client configuration.</param>
    /// <param name="hook">The hook.</param>
    /// <returns>The same configuration.</returns>
    public static ClientConfig WithGlobalPreToolUseHook(this ClientConfig config, IPreHook hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        return config.WithGlobalPreHook(new FilteredPreHook(HookMatcher.ForPhases(CodexRunPhase.PreToolUse), hook));
    }

    /// <summary>Adds a global <see cref="ShellCommandHook"/> as a pre hook.</summary>
    /// <param name="config">The client configuration.</param>
    /// <param name="name">The hook's name.</param>
    /// <param name="command">The shell command.</param>
    /// <param name="matcher">Which calls reach the command; every pre phase when null.</param>
    /// <param name="timeout">The command's timeout; the one set with <see cref="WithShellPreHookTimeout(ClientConfig, TimeSpan)"/>, else 5 s, when null.</param>
    /// <returns>The same configuration.</returns>
    public static ClientConfig WithShellPreHook(this ClientConfig config, string name, string command, HookMatcher? matcher = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.WithGlobalPreHook(ShellPreHook(name, command, matcher, timeout ?? ShellTimeoutOf(config)));
    }

    /// <summary>Adds a global <see cref="ShellCommandHook"/> as a post hook.</summary>
    /// <param name="config">The client configuration.</param>
    /// <param name="name">The hook's name.</param>
    /// <param name="command">The shell command.</param>
    /// <param name="matcher">Which calls reach the command; every post phase when null.</param>
    /// <param name="timeout">The command's timeout; the one set with <see cref="WithShellPreHookTimeout(ClientConfig, TimeSpan)"/>, else 5 s, when null.</param>
    /// <returns>The same configuration.</returns>
    public static ClientConfig WithShellPostHook(this ClientConfig config, string name, string command, HookMatcher? matcher = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.WithGlobalPostHook(ShellPostHook(name, command, matcher, timeout ?? ShellTimeoutOf(config)));
    }

    /// <summary>
    /// Sets the timeout of the shell hooks (pre and post) added to <paramref name="config"/> afterwards by
    /// <c>WithShellPreHook</c> / <c>WithShellPostHook</c> without a timeout of their own; hooks added before keep
    /// theirs. The core's <see cref="ClientConfig.InterceptorTimeout"/> (30 s by default) still caps every call.
    /// </summary>
    /// <param name="config">The client configuration.</param>
    /// <param name="timeout">A positive time.</param>
    /// <returns>The same configuration.</returns>
    public static ClientConfig WithShellPreHookTimeout(this ClientConfig config, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        ShellTimeouts.AddOrUpdate(config, new StrongBox<TimeSpan>(timeout));
        return config;
    }

    /// <inheritdoc cref="WithGlobalPreHook(ClientConfig, IPreHook)" />
    public static WorkflowConfig WithGlobalPreHook(this WorkflowConfig config, IPreHook hook) => OnClient(config, client => client.WithGlobalPreHook(hook));

    /// <inheritdoc cref="WithGlobalPostHook(ClientConfig, IPostHook)" />
    public static WorkflowConfig WithGlobalPostHook(this WorkflowConfig config, IPostHook hook) => OnClient(config, client => client.WithGlobalPostHook(hook));

    /// <inheritdoc cref="WithGlobalPreToolUseHook(ClientConfig, IPreHook)" />
    public static WorkflowConfig WithGlobalPreToolUseHook(this WorkflowConfig config, IPreHook hook) => OnClient(config, client => client.WithGlobalPreToolUseHook(hook));

    /// <inheritdoc cref="WithShellPreHook(ClientConfig, string, string, HookMatcher?, TimeSpan?)" />
    public static WorkflowConfig WithShellPreHook(this WorkflowConfig config, string name, string command, HookMatcher? matcher = null, TimeSpan? timeout = null) =>
        OnClient(config, client => client.WithShellPreHook(name, command, matcher, timeout));

    /// <inheritdoc cref="WithShellPostHook(ClientConfig, string, string, HookMatcher?, TimeSpan?)" />
    public static WorkflowConfig WithShellPostHook(this WorkflowConfig config, string name, string command, HookMatcher? matcher = null, TimeSpan? timeout = null) =>
        OnClient(config, client => client.WithShellPostHook(name, command, matcher, timeout));

    /// <summary>Sets the default shell hook timeout of <see cref="WorkflowConfig.Client"/> (see <see cref="WithShellPreHookTimeout(ClientConfig, TimeSpan)"/>).</summary>
    /// <param name="config">The workflow configuration.</param>
    /// <param name="timeout">A positive time.</param>
    /// <returns>The same configuration.</returns>
    public static WorkflowConfig WithShellPreHookTimeout(this WorkflowConfig config, TimeSpan timeout) => OnClient(config, client => client.WithShellPreHookTimeout(timeout));

    /// <summary>A shell pre hook, filtered when there is a matcher.</summary>
    internal static IPreHook ShellPreHook(string name, string command, HookMatcher? matcher, TimeSpan? timeout)
    {
        var hook = new ShellCommandHook(name, command, timeout);
        return matcher is null ? hook : new FilteredPreHook(matcher, hook);
    }

    /// <summary>A shell post hook, filtered when there is a matcher.</summary>
    internal static IPostHook ShellPostHook(string name, string command, HookMatcher? matcher, TimeSpan? timeout)
    {
        var hook = new ShellCommandHook(name, command, timeout);
        return matcher is null ? hook : new FilteredPostHook(matcher, hook);
    }

    private static TimeSpan? ShellTimeoutOf(ClientConfig config) => ShellTimeouts.TryGetValue(config, out var box) ? box.Value : null;

    private static WorkflowConfig OnClient(WorkflowConfig config, Action<ClientConfig> change)
    {
        ArgumentNullException.ThrowIfNull(config);
        change(config.Client);
        return config;
    }
}
