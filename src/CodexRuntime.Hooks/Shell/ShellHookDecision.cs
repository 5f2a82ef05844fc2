namespace CodexRuntime.Hooks.Shell;

/// <summary>What a shell hook prints on stdout: <c>{"action":"noop"|"mutate"|"block", "patch":{...}, "reason":"..."}</c>.</summary>
internal sealed class ShellHookDecision
{
    public string? Action { get; init; }

    public string? Reason { get; init; }

    public ShellHookPatch? Patch { get; init; }
}
