
namespace CodexRuntime.Hooks;

/// <summary>
/// Run-scoped hooks: adds hooks to <see cref="RunProfile.Interceptors"/>, so they run only in the runs and sessions
/// that use that profile, after the global ones; one with the same name as a global hook replaces it for those runs.
/// Each method returns the same object.
/// </summary>
/// <remarks>
/// Within one profile, adding a hook whose name is already there replaces it in place (a pre hook the pre half, a
/// post hook the post half). A <see cref="SessionConfig"/> without a profile uses the client's default profile, which
/// these methods cannot reach: they throw rather than silently give the session a fresh profile that would drop the
/// client's defaults. Give the session its profile first, e.g.
/// <c>new SessionConfig(cwd, client.Config.DefaultProfile.Clone())</c>.
/// </remarks>
public static class HookProfileExtensions
{
    /// <summary>Adds a run-scoped pre hook.</summary>
    /// <param name="profile">The profile.</param>
    /// <param name="hook">The hook.</param>
    /// <returns>The same profile.</returns>
    public static RunProfile WithRunPreHook(this RunProfile profile, IPreHook hook) =>
        HookInterceptor.WithPre(profile, p => p.Interceptors, hook);

    /// <summary>Adds a run-scoped post hook.</summary>
    /// <param name="profile">The profile.</param>
    /// <param name="hook">The hook.</param>
    /// <returns>The same profile.</returns>
    public static RunProfile WithRunPostHook(this RunProfile profile, IPostHook hook) =>
        HookInterceptor.WithPost(profile, p => p.Interceptors, hook);

    /// <summary>Adds a pre hook to the session's <see cref="SessionConfig.Profile"/>.</summary>
    /// <param name="config">The session configuration; its profile must be set.</param>
    /// <param name="hook">The hook.</param>
    /// <returns>The same configuration.</returns>
    /// <exception cref="InvalidOperationException"><see cref="SessionConfig.Profile"/> is null.</exception>
    public static SessionConfig WithRunPreHook(this SessionConfig config, IPreHook hook) =>
        HookInterceptor.WithPre(config, ProfileInterceptors, hook);

    /// <summary>Adds a post hook to the session's <see cref="SessionConfig.Profile"/>.</summary>
    /// <param name="config">The session configuration; its profile must be set.</param>
    /// <param name="hook">The hook.</param>
    /// <returns>The same configuration.</returns>
    /// <exception cref="InvalidOperationException"><see cref="SessionConfig.Profile"/> is null.</exception>
    public static SessionConfig WithRunPostHook(this SessionConfig config, IPostHook hook) =>
        HookInterceptor.WithPost(config, ProfileInterceptors, hook);

    /// <summary>Adds a run-scoped <see cref="ShellCommandHook"/> as a pre hook (see <c>WithShellPreHook</c> on <see cref="ClientConfig"/> for the protocol).</summary>
    /// <param name="profile">The profile.</param>
    /// <param name="name">The hook's name.</param>
    /// <param name="command">The shell command.</param>
    /// <param name="matcher">Which calls reach the command; every pre phase when null, <c>PreSessionStart</c> included: pass <c>HookMatcher.ForPhases(CodexRunPhase.PreTurn)</c> for a hook that judges prompts.</param>
    /// <param name="timeout">The command's timeout; 5 s when null.</param>
    /// <returns>The same profile.</returns>
    public static RunProfile WithRunShellPreHook(this RunProfile profile, string name, string command, HookMatcher? matcher = null, TimeSpan? timeout = null) =>
        profile.WithRunPreHook(HookConfigExtensions.ShellPreHook(name, command, matcher, timeout));

    /// <summary>Adds a run-scoped <see cref="ShellCommandHook"/> as a post hook.</summary>
    /// <param name="profile">The profile.</param>
    /// <param name="name">The hook's name.</param>
    /// <param name="command">The shell command.</param>
    /// <param name="matcher">Which calls reach the command; every post phase when null.</param>
    /// <param name="timeout">The command's timeout; 5 s when null.</param>
    /// <returns>The same profile.</returns>
    public static RunProfile WithRunShellPostHook(this RunProfile profile, string name, string command, HookMatcher? matcher = null, TimeSpan? timeout = null) =>
        profile.WithRunPostHook(HookConfigExtensions.ShellPostHook(name, command, matcher, timeout));

    private static IList<Interception.ICodexRunInterceptor> ProfileInterceptors(SessionConfig config) =>
        (config.Profile ?? throw new InvalidOperationException(
            "SessionConfig.Profile is null (the session would use the client's DefaultProfile, which run-scoped hooks cannot change); " +
            "set it first, e.g. new SessionConfig(cwd, client.Config.DefaultProfile.Clone()), or add the hook globally with WithGlobalPreHook / WithGlobalPostHook.")).Interceptors;
}
