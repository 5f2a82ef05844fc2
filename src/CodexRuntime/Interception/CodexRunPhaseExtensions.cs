namespace CodexRuntime;

/// <summary>What a <see cref="CodexRunPhase"/> is.</summary>
public static class CodexRunPhaseExtensions
{
    /// <summary>
    /// True for the phases that run before what they guard (<see cref="CodexRunPhase.PreRun"/>,
    /// <see cref="CodexRunPhase.PreSessionStart"/>, <see cref="CodexRunPhase.PreTurn"/>,
    /// <see cref="CodexRunPhase.PreToolUse"/>): their decision can change or block it; post phases only observe.
    /// </summary>
    /// <param name="phase">The phase.</param>
    /// <returns>Whether <paramref name="phase"/> is a pre phase.</returns>
    public static bool IsPre(this CodexRunPhase phase) =>
        phase is CodexRunPhase.PreRun or CodexRunPhase.PreSessionStart or CodexRunPhase.PreTurn or CodexRunPhase.PreToolUse;
}
