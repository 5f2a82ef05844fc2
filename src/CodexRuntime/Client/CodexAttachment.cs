using System.Text.Json;
using CodexRuntime.Protocol;

namespace CodexRuntime;

/// <summary>
/// Something sent with a prompt: a file, an image (URL or local file) or a skill. Paths are resolved against the
/// session's cwd and must exist: a missing path fails with <see cref="CodexAttachmentNotFoundException"/> before
/// anything is sent.
/// </summary>
public sealed class CodexAttachment
{
    private CodexAttachment(CodexAttachmentKind kind, string value, string? name)
    {
        Kind = kind;
        Value = value;
        Name = name;
    }

    /// <summary>What the attachment is.</summary>
    public CodexAttachmentKind Kind { get; }

    /// <summary>The path or URL.</summary>
    public string Value { get; }

    /// <summary>The display name (files, skills).</summary>
    public string? Name { get; }

    /// <summary>A file or folder for the model to look at.</summary>
    /// <param name="path">Absolute, or relative to the session's cwd.</param>
    /// <param name="name">How to call it in the prompt; the file name by default.</param>
    /// <returns>The attachment.</returns>
    public static CodexAttachment File(string path, string? name = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new CodexAttachment(CodexAttachmentKind.File, path, name);
    }

    /// <summary>An image at a URL.</summary>
    /// <param name="url">A <c>data:</c> URL (every codex version), or an http(s) URL (codex 0.169.0 and later refuse remote URLs with -32600; use a data URL or <see cref="LocalImage"/>).</param>
    /// <returns>The attachment.</returns>
    public static CodexAttachment ImageUrl(string url)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        return new CodexAttachment(CodexAttachmentKind.ImageUrl, url, null);
    }

    /// <summary>An image file on this machine.</summary>
    /// <param name="path">Absolute, or relative to the session's cwd.</param>
    /// <returns>The attachment.</returns>
    public static CodexAttachment LocalImage(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new CodexAttachment(CodexAttachmentKind.LocalImage, path, null);
    }

    /// <summary>A codex skill.</summary>
    /// <param name="name">The skill's name.</param>
    /// <param name="path">The skill's folder (or its SKILL.md), absolute or relative to the session's cwd.</param>
    /// <returns>The attachment.</returns>
    public static CodexAttachment Skill(string name, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new CodexAttachment(CodexAttachmentKind.Skill, path, name);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Kind}: {Value}";

    private static JsonElement StringElement(string value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStringValue(value);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    /// <summary>The wire input, after checking that a path exists.</summary>
    /// <exception cref="CodexAttachmentNotFoundException">The path does not exist.</exception>
    internal UserInput ToInput(string cwd)
    {
        if (Kind == CodexAttachmentKind.ImageUrl)
        {
            // The generated ImageUserInput has no url member (the schema puts it in an anyOf), so it travels as an extra member.
            return new ImageUserInput { AdditionalProperties = new Dictionary<string, JsonElement> { ["url"] = StringElement(Value) } };
        }

        var path = Path.GetFullPath(Value, cwd);
        if (!System.IO.File.Exists(path) && !Directory.Exists(path))
        {
            throw new CodexAttachmentNotFoundException(Kind switch
            {
                CodexAttachmentKind.LocalImage => "local image",
                CodexAttachmentKind.Skill => "skill",
                _ => "file",
            }, path);
        }

        return Kind switch
        {
            CodexAttachmentKind.LocalImage => new LocalImageUserInput { Path = path },
            CodexAttachmentKind.Skill => new SkillUserInput { Name = Name!, Path = path },
            _ => new MentionUserInput { Name = Name ?? System.IO.Path.GetFileName(path.TrimEnd(System.IO.Path.DirectorySeparatorChar)), Path = path },
        };
    }
}
