using System.Text.Json.Serialization;

namespace CodexRuntime;

/// <summary>What an attachment is.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CodexAttachmentKind>))]
public enum CodexAttachmentKind
{
    /// <summary>A file or folder the model should look at (sent as a mention of its path).</summary>
    File,

    /// <summary>An image on the web (or a data URL).</summary>
    ImageUrl,

    /// <summary>An image file on this machine.</summary>
    LocalImage,

    /// <summary>A codex skill (its name and the path of its folder).</summary>
    Skill,
}
