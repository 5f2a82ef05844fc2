namespace CodexRuntime;

/// <summary>What an interceptor decides in a pre phase: go on, go on with a change, or stop. Post phases ignore it.</summary>
public sealed class CodexInterceptorDecision
{
    private CodexInterceptorDecision(CodexInterceptionOutcome outcome, CodexRunPatch? patch, string? reason)
    {
        Outcome = outcome;
        Patch = patch;
        Reason = reason;
    }

    /// <summary>Go on unchanged.</summary>
    public static CodexInterceptorDecision Continue { get; } = new(CodexInterceptionOutcome.Continued, null, null);

    /// <summary><see cref="CodexInterceptionOutcome.Continued"/>, <see cref="CodexInterceptionOutcome.Mutated"/> or <see cref="CodexInterceptionOutcome.Blocked"/>.</summary>
    public CodexInterceptionOutcome Outcome { get; }

    /// <summary>The change, for <see cref="Mutate"/>.</summary>
    public CodexRunPatch? Patch { get; }

    /// <summary>Why, for <see cref="Block"/>.</summary>
    public string? Reason { get; }

    /// <summary>Go on with <paramref name="patch"/> applied; later interceptors see the changed context.</summary>
    /// <param name="patch">The change.</param>
    /// <returns>The decision.</returns>
    public static CodexInterceptorDecision Mutate(CodexRunPatch patch)
    {
        ArgumentNullException.ThrowIfNull(patch);
        return new CodexInterceptorDecision(CodexInterceptionOutcome.Mutated, patch, null);
    }

    /// <summary>
    /// Stop: in run, session-start and turn phases the call fails with <c>CodexRunBlockedException</c> before anything
    /// is sent; in <see cref="CodexRunPhase.PreToolUse"/> the tool is declined and the turn goes on.
    /// </summary>
    /// <param name="reason">Why (shown in the error and the report; keep secrets out).</param>
    /// <returns>The decision.</returns>
    public static CodexInterceptorDecision Block(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new CodexInterceptorDecision(CodexInterceptionOutcome.Blocked, null, reason);
    }
}
