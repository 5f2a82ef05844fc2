namespace CodexRuntime.Hooks.Shell;

/// <summary>The failure of a post phase: the exception's type name and message.</summary>
internal sealed class ShellHookError
{
    public required string Type { get; init; }

    public required string Message { get; init; }
}
