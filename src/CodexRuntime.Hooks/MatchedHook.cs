
namespace CodexRuntime.Hooks;

/// <summary>
/// A decorator that passes to its hook only the calls a <see cref="HookMatcher"/> matches. It takes part only in the
/// phases both the hook and the matcher take (so a phase outside them is neither called nor recorded); in those, a
/// call whose other conditions (tool, command, cwd) do not match continues without reaching the hook.
/// </summary>
internal sealed class MatchedHook(ICodexRunInterceptor inner, HookMatcher when) : ICodexRunInterceptor
{
    public string Name => inner.Name;

    public bool Handles(CodexRunPhase phase) => inner.Handles(phase) && (when.Phases.Count == 0 || when.Phases.Contains(phase));

    public ValueTask<CodexInterceptorDecision> InterceptAsync(CodexRunContext context, CancellationToken cancellationToken) =>
        when.Matches(context) ? inner.InterceptAsync(context, cancellationToken) : ValueTask.FromResult(CodexInterceptorDecision.Continue);
}
