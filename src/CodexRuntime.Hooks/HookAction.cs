using CodexRuntime.Interception;

namespace CodexRuntime.Hooks;

/// <summary>A pre hook's answer: <see cref="Noop"/>, <see cref="Mutate"/> or <see cref="Block"/>.</summary>
public sealed class HookAction
{
    private HookAction(HookActionKind kind, HookPatch? patch, string? reason)
    {
        Kind = kind;
        Patch = patch;
        Reason = reason;
    }

    /// <summary>Go on unchanged.</summary>
    public static HookAction Noop { get; } = new(HookActionKind.Noop, null, null);

    /// <summary>What this action does.</summary>
    public HookActionKind Kind { get; }

    /// <summary>The change, for <see cref="HookActionKind.Mutate"/>.</summary>
    public HookPatch? Patch { get; }

    /// <summary>Why, for <see cref="HookActionKind.Block"/>.</summary>
    public string? Reason { get; }

    /// <summary>Go on with <paramref name="patch"/> applied; later hooks see the changed context.</summary>
    /// <param name="patch">The change.</param>
    /// <returns>The action.</returns>
    public static HookAction Mutate(HookPatch patch)
    {
        ArgumentNullException.ThrowIfNull(patch);
        return new HookAction(HookActionKind.Mutate, patch, null);
    }

    /// <summary>
    /// Stop: in run, session-start and turn phases the call fails with <c>CodexRunBlockedException</c> before anything
    /// is sent; in PreToolUse the tool is declined and the turn goes on.
    /// </summary>
    /// <param name="reason">Why (shown in the error and the report; keep secrets out).</param>
    /// <returns>The action.</returns>
    public static HookAction Block(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new HookAction(HookActionKind.Block, null, reason);
    }

    /// <summary>The core's decision for this action.</summary>
    /// <returns>Continue, Mutate or Block.</returns>
    public CodexInterceptorDecision ToDecision() => Kind switch
    {
        HookActionKind.Mutate => CodexInterceptorDecision.Mutate(Patch!.ToRunPatch()),
        HookActionKind.Block => CodexInterceptorDecision.Block(Reason!),
        _ => CodexInterceptorDecision.Continue,
    };

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        HookActionKind.Block => $"Block: {Reason}",
        _ => Kind.ToString(),
    };
}
