namespace CodexRuntime.Hooks.Shell;

/// <summary>The patch of a mutate decision.</summary>
internal sealed class ShellHookPatch
{
    public string? Prompt { get; init; }

    public string? Model { get; init; }

    public Dictionary<string, string>? Metadata { get; init; }

    public List<ShellHookAttachment>? Attachments { get; init; }
}
