namespace CodexRuntime.Hooks;

/// <summary>A post hook that calls <see cref="Inner"/> only for calls <see cref="Matcher"/> matches.</summary>
public sealed class FilteredPostHook : IPostHook
{
    /// <summary>Creates the filter.</summary>
    /// <param name="matcher">Which calls reach the hook.</param>
    /// <param name="inner">The hook.</param>
    public FilteredPostHook(HookMatcher matcher, IPostHook inner)
    {
        ArgumentNullException.ThrowIfNull(matcher);
        ArgumentNullException.ThrowIfNull(inner);
        Matcher = matcher;
        Inner = inner;
    }

    /// <summary>Which calls reach the hook.</summary>
    public HookMatcher Matcher { get; }

    /// <summary>The hook.</summary>
    public IPostHook Inner { get; }

    /// <summary>The inner hook's name.</summary>
    public string Name => Inner.Name;

    /// <summary>The inner hook's own phases (the matcher narrows them further).</summary>
    public IReadOnlyCollection<Interception.CodexRunPhase> Phases => Inner.Phases;

    /// <inheritdoc />
    public ValueTask OnPostAsync(HookContext context, CancellationToken cancellationToken) =>
        Matcher.Matches(context) ? Inner.OnPostAsync(context, cancellationToken) : ValueTask.CompletedTask;
}
