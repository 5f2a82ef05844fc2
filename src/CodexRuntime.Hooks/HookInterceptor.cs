using CodexRuntime.Interception;

namespace CodexRuntime.Hooks;

/// <summary>
/// The core's view of a hook: an interceptor named like the hook that calls its <see cref="IPreHook"/> in pre phases
/// and its <see cref="IPostHook"/> in post phases (one adapter can carry both, so a hook registered as pre and post
/// under one name keeps both halves). A phase without a half continues without calling anything.
/// </summary>
internal sealed class HookInterceptor : ICodexRunInterceptor
{
    public HookInterceptor(string name, IPreHook? pre, IPostHook? post)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (pre is null && post is null)
        {
            throw new ArgumentException("A hook adapter needs a pre hook, a post hook or both.", nameof(pre));
        }

        Name = name;
        Pre = pre;
        Post = post;
    }

    public string Name { get; }

    public IPreHook? Pre { get; }

    public IPostHook? Post { get; }

    /// <summary>Pre phases when there is a pre half, post phases when there is a post half; a filtered hook only its matcher's phases.</summary>
    public bool Handles(CodexRunPhase phase)
    {
        var pre = phase is CodexRunPhase.PreRun or CodexRunPhase.PreSessionStart or CodexRunPhase.PreTurn or CodexRunPhase.PreToolUse;
        return pre
            ? Pre is not null && Wants(Pre.Phases, phase) && (Pre is not FilteredPreHook filtered || InPhases(filtered.Matcher, phase))
            : Post is not null && Wants(Post.Phases, phase) && (Post is not FilteredPostHook filteredPost || InPhases(filteredPost.Matcher, phase));
    }

    public async ValueTask<CodexInterceptorDecision> InterceptAsync(CodexRunContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.IsPre)
        {
            if (Pre is null)
            {
                return CodexInterceptorDecision.Continue;
            }

            var action = await Pre.OnPreAsync(new HookContext(context), cancellationToken).ConfigureAwait(false);
            return (action ?? HookAction.Noop).ToDecision();
        }

        if (Post is not null)
        {
            await Post.OnPostAsync(new HookContext(context), cancellationToken).ConfigureAwait(false);
        }

        return CodexInterceptorDecision.Continue;
    }

    private static bool InPhases(HookMatcher matcher, CodexRunPhase phase) => Wants(matcher.Phases, phase);

    /// <summary>A hook's own phase list: empty means all.</summary>
    private static bool Wants(IReadOnlyCollection<CodexRunPhase> phases, CodexRunPhase phase) => phases.Count == 0 || phases.Contains(phase);

    /// <summary>
    /// Adds <paramref name="pre"/> to <paramref name="interceptors"/>: it replaces the pre half of an adapter of the same
    /// name (keeping its post half) or any other interceptor of that name, in place; otherwise it goes last.
    /// </summary>
    public static void AddPre(IList<ICodexRunInterceptor> interceptors, IPreHook pre)
    {
        ArgumentNullException.ThrowIfNull(interceptors);
        ArgumentNullException.ThrowIfNull(pre);
        AddOrMerge(interceptors, pre.Name, existing => new HookInterceptor(pre.Name, pre, existing?.Post));
    }

    /// <summary>Adds <paramref name="post"/> like <see cref="AddPre"/> adds a pre hook (keeping the pre half of an adapter of the same name).</summary>
    public static void AddPost(IList<ICodexRunInterceptor> interceptors, IPostHook post)
    {
        ArgumentNullException.ThrowIfNull(interceptors);
        ArgumentNullException.ThrowIfNull(post);
        AddOrMerge(interceptors, post.Name, existing => new HookInterceptor(post.Name, existing?.Pre, post));
    }

    /// <summary>Adds <paramref name="pre"/> to the interceptor list of <paramref name="owner"/> (a config or profile) and returns the owner.</summary>
    public static TOwner WithPre<TOwner>(TOwner owner, Func<TOwner, IList<ICodexRunInterceptor>> interceptors, IPreHook pre)
        where TOwner : class
    {
        ArgumentNullException.ThrowIfNull(owner);
        AddPre(interceptors(owner), pre);
        return owner;
    }

    /// <summary>Adds <paramref name="post"/> to the interceptor list of <paramref name="owner"/> (a config or profile) and returns the owner.</summary>
    public static TOwner WithPost<TOwner>(TOwner owner, Func<TOwner, IList<ICodexRunInterceptor>> interceptors, IPostHook post)
        where TOwner : class
    {
        ArgumentNullException.ThrowIfNull(owner);
        AddPost(interceptors(owner), post);
        return owner;
    }

    private static void AddOrMerge(IList<ICodexRunInterceptor> interceptors, string name, Func<HookInterceptor?, HookInterceptor> create)
    {
        for (var i = 0; i < interceptors.Count; i++)
        {
            if (string.Equals(interceptors[i].Name, name, StringComparison.Ordinal))
            {
                interceptors[i] = create(interceptors[i] as HookInterceptor);
                return;
            }
        }

        interceptors.Add(create(null));
    }
}
