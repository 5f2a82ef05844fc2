
namespace CodexRuntime.Hooks;

/// <summary>An interceptor made from a delegate that takes the pre phases only, or the post phases only (<see cref="HookBuilder.Pre"/>, <see cref="HookBuilder.Post"/>).</summary>
internal sealed class DelegateHook : ICodexRunInterceptor
{
    private readonly bool _pre;
    private readonly Func<CodexRunContext, CancellationToken, ValueTask<CodexInterceptorDecision>> _hook;

    public DelegateHook(string name, bool pre, Func<CodexRunContext, CancellationToken, ValueTask<CodexInterceptorDecision>> hook)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        _pre = pre;
        _hook = hook;
    }

    public string Name { get; }

    public bool Handles(CodexRunPhase phase) => phase.IsPre() == _pre;

    public ValueTask<CodexInterceptorDecision> InterceptAsync(CodexRunContext context, CancellationToken cancellationToken) => _hook(context, cancellationToken);
}
