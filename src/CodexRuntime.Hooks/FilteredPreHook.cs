namespace CodexRuntime.Hooks;

/// <summary>A pre hook that calls <see cref="Inner"/> only for calls <see cref="Matcher"/> matches, and returns <see cref="HookAction.Noop"/> for the others.</summary>
public sealed class FilteredPreHook : IPreHook
{
    /// <summary>Creates the filter.</summary>
    /// <param name="matcher">Which calls reach the hook.</param>
    /// <param name="inner">The hook.</param>
    public FilteredPreHook(HookMatcher matcher, IPreHook inner)
    {
        ArgumentNullException.ThrowIfNull(matcher);
        ArgumentNullException.ThrowIfNull(inner);
        Matcher = matcher;
        Inner = inner;
    }

    /// <summary>Which calls reach the hook.</summary>
    public HookMatcher Matcher { get; }

    /// <summary>The hook.</summary>
    public IPreHook Inner { get; }

    /// <summary>The inner hook's name.</summary>
    public string Name => Inner.Name;

    /// <summary>The inner hook's own phases (the matcher narrows them further).</summary>
    public IReadOnlyCollection<Interception.CodexRunPhase> Phases => Inner.Phases;

    /// <inheritdoc />
    public ValueTask<HookAction> OnPreAsync(HookContext context, CancellationToken cancellationToken) =>
        Matcher.Matches(context) ? Inner.OnPreAsync(context, cancellationToken) : ValueTask.FromResult(HookAction.Noop);
}
