namespace CodexRuntime.Hooks;

/// <summary>
/// A hook called in the pre phases (<c>PreRun</c>, <c>PreSessionStart</c>, <c>PreTurn</c>, <c>PreToolUse</c>): it lets
/// the run go on (<see cref="HookAction.Noop"/>), changes what it sends (<see cref="HookAction.Mutate"/>) or stops it
/// (<see cref="HookAction.Block"/>). It is never called in post phases.
/// </summary>
/// <remarks>
/// A hook that throws or passes its deadline (<c>ClientConfig.InterceptorTimeout</c>) is recorded as an issue in the
/// run's <see cref="HookReport"/> and the run goes on as if it had returned <see cref="HookAction.Noop"/>.
/// </remarks>
public interface IPreHook
{
    /// <summary>The name in reports and errors; a hook of the same name replaces an earlier one (a run-scoped one replaces a global one).</summary>
    string Name { get; }

    /// <summary>Called once per pre phase of every run the hook is registered for.</summary>
    /// <param name="context">Where the run is and what it is about to send.</param>
    /// <param name="cancellationToken">Cancelled at the hook's deadline or when the run is cancelled.</param>
    /// <returns>What the run does next.</returns>
    ValueTask<HookAction> OnPreAsync(HookContext context, CancellationToken cancellationToken);

    /// <summary>
    /// The pre phases the hook wants; empty (the default) means every pre phase, including <c>PreSessionStart</c>
    /// (where the prompt is null) and <c>PreToolUse</c>. A hook meant to stop asks should say
    /// <c>[CodexRunPhase.PreRun, CodexRunPhase.PreTurn]</c>, or a <c>Block</c> also stops <c>StartSessionAsync</c>.
    /// </summary>
    IReadOnlyCollection<Interception.CodexRunPhase> Phases => [];
}
