namespace CodexRuntime.Hooks;

/// <summary>
/// A hook called in the post phases (<c>PostRun</c>, <c>PostSessionStart</c>, <c>PostTurn</c>, <c>PostToolUse</c>): it
/// observes what happened (<see cref="HookContext.Result"/>, <see cref="HookContext.Error"/>,
/// <see cref="HookContext.Tool"/>) and cannot change it. It is never called in pre phases.
/// </summary>
/// <remarks>A post hook that throws or passes its deadline is recorded as an issue in the run's <see cref="HookReport"/>; the run goes on.</remarks>
public interface IPostHook
{
    /// <summary>The name in reports and errors; a hook of the same name replaces an earlier one (a run-scoped one replaces a global one).</summary>
    string Name { get; }

    /// <summary>Called once per post phase of every run the hook is registered for.</summary>
    /// <param name="context">What the run did.</param>
    /// <param name="cancellationToken">Cancelled at the hook's deadline or when the run is cancelled.</param>
    /// <returns>A task that completes when the hook is done.</returns>
    ValueTask OnPostAsync(HookContext context, CancellationToken cancellationToken);

    /// <summary>The post phases the hook wants; empty (the default) means every post phase.</summary>
    IReadOnlyCollection<Interception.CodexRunPhase> Phases => [];
}
