
namespace CodexRuntime.Hooks;

/// <summary>
/// Which calls a hook added with <see cref="HookBuilder"/> (its <c>when</c> argument) receives. Every condition that is
/// set must hold; an unset one (null / empty) matches everything, so <c>new HookMatcher()</c> matches every call. The
/// hook takes part only in the matcher's <see cref="Phases"/>; a call in those that fails another condition continues
/// without reaching the hook (recorded as <c>Continued</c>).
/// </summary>
/// <remarks>
/// <para>
/// <see cref="CwdPrefix"/> matches on a path boundary: <c>/a/b</c> matches the cwd <c>/a/b</c> and <c>/a/b/c</c> but
/// not <c>/a/bc</c>. The style of each path is read from the path itself, whatever OS runs the code: a drive
/// (<c>C:\a\b</c>, <c>c:/a/b</c>, mixed separators) or UNC (<c>\\server\share\x</c>) path is Windows style and
/// compares case-insensitively; anything else is POSIX style (<c>/</c> separators) and compares case-sensitively. A
/// Windows-style prefix never matches a POSIX-style cwd and the other way round. Trailing and doubled separators are
/// ignored and <c>.</c> / <c>..</c> segments are resolved lexically (the file system is never read, so symbolic
/// links are not followed).
/// </para>
/// <para>
/// <see cref="Tool"/> and <see cref="CommandPrefix"/> need a tool, so they only match in PreToolUse and PostToolUse.
/// </para>
/// </remarks>
public sealed class HookMatcher
{
    /// <summary>A matcher that matches every call.</summary>
    public static HookMatcher Any { get; } = new();

    /// <summary>Every pre phase: <c>PreRun</c>, <c>PreSessionStart</c>, <c>PreTurn</c>, <c>PreToolUse</c>.</summary>
    public static HookMatcher Pre { get; } = ForPhases([.. Enum.GetValues<CodexRunPhase>().Where(phase => phase.IsPre())]);

    /// <summary>Every post phase: <c>PostRun</c>, <c>PostSessionStart</c>, <c>PostTurn</c>, <c>PostToolUse</c>.</summary>
    public static HookMatcher Post { get; } = ForPhases([.. Enum.GetValues<CodexRunPhase>().Where(phase => !phase.IsPre())]);

    /// <summary>The phases to match; empty (the default) matches every phase.</summary>
    public IReadOnlyCollection<CodexRunPhase> Phases { get; init; } = [];

    /// <summary>The tool to match (<see cref="CodexToolUse.Tool"/>: <c>commandExecution</c> or <c>fileChange</c>, ordinal); null matches any call.</summary>
    public string? Tool { get; init; }

    /// <summary>The start of the command line to match (<see cref="CodexToolUse.Command"/>, ordinal); null matches any call.</summary>
    public string? CommandPrefix { get; init; }

    /// <summary>The folder the run's <see cref="CodexRunContext.Cwd"/> must be, or lie below, on a path boundary; null matches any cwd.</summary>
    public string? CwdPrefix { get; init; }

    /// <summary>A matcher for <paramref name="phases"/> only.</summary>
    /// <param name="phases">The phases.</param>
    /// <returns>The matcher.</returns>
    public static HookMatcher ForPhases(params CodexRunPhase[] phases) => new() { Phases = [.. phases] };

    /// <summary>Whether the call described by <paramref name="context"/> matches.</summary>
    /// <param name="context">The core's context.</param>
    /// <returns>True when every set condition holds.</returns>
    public bool Matches(CodexRunContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Phases.Count > 0 && !Phases.Contains(context.Phase))
        {
            return false;
        }

        if (Tool is not null && !string.Equals(context.Tool?.Tool, Tool, StringComparison.Ordinal))
        {
            return false;
        }

        if (CommandPrefix is not null && context.Tool?.Command?.StartsWith(CommandPrefix, StringComparison.Ordinal) != true)
        {
            return false;
        }

        return CwdPrefix is null || IsAtOrUnder(context.Cwd, CwdPrefix);
    }

    /// <summary>
    /// Whether <paramref name="path"/> is <paramref name="prefix"/> or lies below it on a path boundary, by the rules of
    /// <see cref="CwdPrefix"/> (each path's style read from the path, not the OS).
    /// </summary>
    /// <param name="path">The path to test.</param>
    /// <param name="prefix">The folder.</param>
    /// <returns>True for <c>/a/b</c> and <c>/a/b/c</c> under <c>/a/b</c>; false for <c>/a/bc</c>.</returns>
    public static bool IsAtOrUnder(string path, string prefix)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(prefix);
        return HookPath.IsAtOrUnder(path, prefix);
    }
}
