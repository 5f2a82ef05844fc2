namespace CodexRuntime;

/// <summary>
/// The extension point of runs, sessions, turns and tool use: an interceptor is called in every
/// <see cref="CodexRunPhase"/> of the runs it is registered for (globally on <c>ClientConfig.Interceptors</c>, or per run
/// on <c>RunProfile.Interceptors</c>) and decides in pre phases whether the run goes on, changed or not, or stops. The
/// core knows nothing else about who implements it: the hooks add-on is one such package.
/// </summary>
/// <remarks>
/// Calls run in registration order (global ones first; a run-scoped interceptor replaces a global one of the same
/// <see cref="Name"/>), never on the connection's reader loop. A call that throws or passes its deadline
/// (<c>ClientConfig.InterceptorTimeout</c>) is recorded in the run's report and the run goes on. The first block wins.
/// </remarks>
public interface ICodexRunInterceptor
{
    /// <summary>The name in reports and errors; also what deduplicates global and run-scoped interceptors.</summary>
    string Name { get; }

    /// <summary>
    /// Whether the interceptor takes part in <paramref name="phase"/> at all; phases it does not take are neither called
    /// nor recorded in the report. All phases by default.
    /// </summary>
    /// <param name="phase">The phase.</param>
    /// <returns>True to be called in that phase.</returns>
    bool Handles(CodexRunPhase phase) => true;

    /// <summary>Called once per phase (that it <see cref="Handles"/>) of every run it is registered for.</summary>
    /// <param name="context">Where the run is and what it sends.</param>
    /// <param name="cancellationToken">Cancelled at the interceptor deadline or when the run is cancelled.</param>
    /// <returns>The decision (ignored in post phases).</returns>
    ValueTask<CodexInterceptorDecision> InterceptAsync(CodexRunContext context, CancellationToken cancellationToken);
}
