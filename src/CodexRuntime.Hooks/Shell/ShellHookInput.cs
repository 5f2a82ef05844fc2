namespace CodexRuntime.Hooks.Shell;

/// <summary>The hook context as a shell hook reads it from stdin (camelCase JSON; members that are null are left out).</summary>
internal sealed class ShellHookInput
{
    public required string Hook { get; init; }

    public required string Phase { get; init; }

    public bool IsPre { get; init; }

    public required string Cwd { get; init; }

    public string? ThreadId { get; init; }

    public string? TurnId { get; init; }

    public string? Prompt { get; init; }

    public string? Model { get; init; }

    public IReadOnlyList<ShellHookAttachment> Attachments { get; init; } = [];

    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    public ShellHookTool? Tool { get; init; }

    public ShellHookResult? Result { get; init; }

    public ShellHookError? Error { get; init; }
}
