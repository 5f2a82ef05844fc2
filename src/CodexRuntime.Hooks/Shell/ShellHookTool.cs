namespace CodexRuntime.Hooks.Shell;

/// <summary>The tool of a tool phase.</summary>
internal sealed class ShellHookTool
{
    public required string Tool { get; init; }

    public string? ItemId { get; init; }

    public string? Command { get; init; }

    public string? Cwd { get; init; }

    public string? Reason { get; init; }

    public string? Status { get; init; }

    public int? ExitCode { get; init; }

    public string? Output { get; init; }
}
