
namespace CodexRuntime.Hooks;

/// <summary>
/// Two hooks of one name, one taking pre phases only and one post phases only: the core keeps one interceptor per
/// name, so they travel as one that sends each phase to its half.
/// </summary>
internal sealed class SplitHook : ICodexRunInterceptor
{
    private SplitHook(ICodexRunInterceptor pre, ICodexRunInterceptor post)
    {
        Pre = pre;
        Post = post;
    }

    public string Name => Pre.Name;

    public ICodexRunInterceptor Pre { get; }

    public ICodexRunInterceptor Post { get; }

    public bool Handles(CodexRunPhase phase) => (phase.IsPre() ? Pre : Post).Handles(phase);

    public ValueTask<CodexInterceptorDecision> InterceptAsync(CodexRunContext context, CancellationToken cancellationToken) =>
        (context.IsPre ? Pre : Post).InterceptAsync(context, cancellationToken);

    /// <summary>
    /// What replaces <paramref name="existing"/> when <paramref name="added"/> of the same name comes: the two halves
    /// when one takes pre phases only and the other post phases only, else <paramref name="added"/>.
    /// </summary>
    public static ICodexRunInterceptor Combine(ICodexRunInterceptor existing, ICodexRunInterceptor added)
    {
        var side = SideOf(added);
        if (side == Side.Both)
        {
            return added;
        }

        // The half of the existing hook that the added one leaves alone, if it has one.
        var other = existing is SplitHook split
            ? (side == Side.Pre ? split.Post : split.Pre)
            : SideOf(existing) == Opposite(side) ? existing : null;
        return other is null ? added : side == Side.Pre ? new SplitHook(added, other) : new SplitHook(other, added);
    }

    private static Side SideOf(ICodexRunInterceptor hook)
    {
        var phases = Enum.GetValues<CodexRunPhase>().Where(hook.Handles).ToArray();
        return phases.Length > 0 && phases.All(CodexRunPhaseExtensions.IsPre) ? Side.Pre
            : phases.Length > 0 && !phases.Any(CodexRunPhaseExtensions.IsPre) ? Side.Post
            : Side.Both;
    }

    private static Side Opposite(Side side) => side == Side.Pre ? Side.Post : Side.Pre;

    private enum Side
    {
        Pre,
        Post,
        Both,
    }
}
