namespace CodexRuntime;

/// <summary>An attachment names a file or folder that does not exist; nothing was sent.</summary>
public sealed class CodexAttachmentNotFoundException : CodexRunException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">What kind of attachment, e.g. <c>local image</c>.</param>
    /// <param name="path">The absolute path that does not exist.</param>
    public CodexAttachmentNotFoundException(string kind, string path)
        : base($"The {kind} attachment '{path}' does not exist, so nothing was sent. Fix the path (relative paths are resolved against the session's cwd).")
    {
        Kind = kind;
        Path = path;
    }

    /// <summary>What kind of attachment.</summary>
    public string Kind { get; }

    /// <summary>The absolute path that does not exist.</summary>
    public string Path { get; }
}
