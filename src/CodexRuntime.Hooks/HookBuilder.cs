
namespace CodexRuntime.Hooks;

/// <summary>
/// Adds hooks to one interceptor list — <see cref="ClientConfig.Interceptors"/> (global) or
/// <see cref="RunProfile.Interceptors"/> (run-scoped) — handed to the callback of <c>UseHooks</c>
/// (<see cref="HookExtensions"/>). A hook is the core's <see cref="ICodexRunInterceptor"/>: this builder adds one as
/// it is, filtered by a <see cref="HookMatcher"/>, made from a delegate, or as a <see cref="ShellCommandHook"/>.
/// </summary>
/// <remarks>
/// Hooks run in the order they were added. Adding a hook whose name is already in the list replaces it in place,
/// except that a hook taking pre phases only and one taking post phases only share a name: one runs in the pre phases,
/// the other in the post ones (adding another pre-only hook of that name replaces the pre half). A run-scoped hook of
/// the same name as a global one replaces it for that run (done by the core).
/// </remarks>
public sealed class HookBuilder
{
    private readonly IList<ICodexRunInterceptor> _interceptors;
    private TimeSpan _shellTimeout = ShellCommandHook.DefaultTimeout;

    internal HookBuilder(IList<ICodexRunInterceptor> interceptors)
    {
        _interceptors = interceptors;
    }

    /// <summary>
    /// The timeout of the shell hooks that <see cref="Shell"/> adds afterwards without one of their own (5 s by
    /// default); it lasts for this builder only. The core's <see cref="ClientConfig.InterceptorTimeout"/> still caps
    /// every call.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public TimeSpan ShellTimeout
    {
        get => _shellTimeout;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            _shellTimeout = value;
        }
    }

    /// <summary>Adds <paramref name="hook"/>, called only for the calls <paramref name="when"/> matches (every call it <see cref="ICodexRunInterceptor.Handles"/> when null).</summary>
    /// <param name="hook">The hook: any interceptor.</param>
    /// <param name="when">Which calls reach it.</param>
    /// <returns>This builder.</returns>
    public HookBuilder Add(ICodexRunInterceptor hook, HookMatcher? when = null)
    {
        ArgumentNullException.ThrowIfNull(hook);
        Insert(when is null ? hook : new MatchedHook(hook, when));
        return this;
    }

    /// <summary>
    /// Adds a pre hook made from a delegate: it is called in the pre phases only (<c>PreRun</c>,
    /// <c>PreSessionStart</c>, <c>PreTurn</c>, <c>PreToolUse</c>) that <paramref name="when"/> matches, and its
    /// decision counts.
    /// </summary>
    /// <param name="name">The hook's name (reports, errors, replacement).</param>
    /// <param name="hook">Decides: <see cref="CodexInterceptorDecision.Continue"/>, <c>Mutate</c> or <c>Block</c>.</param>
    /// <param name="when">Which calls reach it; every pre phase when null. A hook meant to judge asks should pass <c>HookMatcher.ForPhases(CodexRunPhase.PreRun, CodexRunPhase.PreTurn)</c>, or a block also stops <c>StartSessionAsync</c>.</param>
    /// <returns>This builder.</returns>
    public HookBuilder Pre(string name, Func<CodexRunContext, CancellationToken, ValueTask<CodexInterceptorDecision>> hook, HookMatcher? when = null)
    {
        ArgumentNullException.ThrowIfNull(hook);
        return Add(new DelegateHook(name, pre: true, hook), when);
    }

    /// <summary>Adds a post hook made from a delegate: it observes the post phases (<c>PostRun</c>, <c>PostSessionStart</c>, <c>PostTurn</c>, <c>PostToolUse</c>) that <paramref name="when"/> matches.</summary>
    /// <param name="name">The hook's name.</param>
    /// <param name="hook">Observes the call.</param>
    /// <param name="when">Which calls reach it; every post phase when null.</param>
    /// <returns>This builder.</returns>
    public HookBuilder Post(string name, Func<CodexRunContext, CancellationToken, ValueTask> hook, HookMatcher? when = null)
    {
        ArgumentNullException.ThrowIfNull(hook);
        return Add(new DelegateHook(name, pre: false, async (context, cancellationToken) =>
        {
            await hook(context, cancellationToken).ConfigureAwait(false);
            return CodexInterceptorDecision.Continue;
        }), when);
    }

    /// <summary>
    /// Adds a <see cref="ShellCommandHook"/> for the calls <paramref name="when"/> matches: in pre phases its exit code
    /// and stdout decide, in post phases it observes (the protocol is in docs/hooks.md).
    /// </summary>
    /// <param name="name">The hook's name.</param>
    /// <param name="command">The shell command.</param>
    /// <param name="when">Which calls start the command: <see cref="HookMatcher.Pre"/>, <see cref="HookMatcher.Post"/>, or narrower (required, so a script meant for asks does not also judge session starts by accident).</param>
    /// <param name="timeout">The command's timeout; <see cref="ShellTimeout"/> when null.</param>
    /// <returns>This builder.</returns>
    public HookBuilder Shell(string name, string command, HookMatcher when, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(when);
        return Add(new ShellCommandHook(name, command, timeout ?? ShellTimeout), when);
    }

    /// <summary>Puts <paramref name="hook"/> in the list: in place of one of the same name, or beside its other half, or last.</summary>
    private void Insert(ICodexRunInterceptor hook)
    {
        for (var i = 0; i < _interceptors.Count; i++)
        {
            if (string.Equals(_interceptors[i].Name, hook.Name, StringComparison.Ordinal))
            {
                _interceptors[i] = SplitHook.Combine(_interceptors[i], hook);
                return;
            }
        }

        _interceptors.Add(hook);
    }
}
