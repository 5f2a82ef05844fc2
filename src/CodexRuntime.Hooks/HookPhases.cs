using CodexRuntime.Interception;

namespace CodexRuntime.Hooks;

/// <summary>The pre / post split of <see cref="CodexRunPhase"/> for a phase alone (the core's <see cref="CodexRunContext.IsPre"/> needs a context).</summary>
internal static class HookPhases
{
    public static readonly CodexRunPhase[] Pre = [CodexRunPhase.PreRun, CodexRunPhase.PreSessionStart, CodexRunPhase.PreTurn, CodexRunPhase.PreToolUse];

    public static readonly CodexRunPhase[] Post = [CodexRunPhase.PostRun, CodexRunPhase.PostSessionStart, CodexRunPhase.PostTurn, CodexRunPhase.PostToolUse];

    public static bool IsPre(CodexRunPhase phase) => Array.IndexOf(Pre, phase) >= 0;
}
