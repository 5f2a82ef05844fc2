namespace CodexRuntime.Hooks.Shell;

/// <summary>An attachment, in the input (the prompt's) and in a mutate patch (to add): <c>type</c> is file, imageUrl, localImage or skill.</summary>
internal sealed class ShellHookAttachment
{
    public string? Type { get; init; }

    public string? Path { get; init; }

    public string? Url { get; init; }

    public string? Name { get; init; }
}
