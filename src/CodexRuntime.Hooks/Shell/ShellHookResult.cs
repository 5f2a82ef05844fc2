namespace CodexRuntime.Hooks.Shell;

/// <summary>The result of PostTurn / PostRun, when the turn ran.</summary>
internal sealed class ShellHookResult
{
    public required string Status { get; init; }

    public required string Text { get; init; }

    public string? ThreadId { get; init; }

    public string? TurnId { get; init; }
}
