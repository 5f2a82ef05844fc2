using System.Text.Json.Serialization;

namespace CodexRuntime;

/// <summary>What codex asks to be allowed.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CodexApprovalKind>))]
public enum CodexApprovalKind
{
    /// <summary>Run a command (<c>item/commandExecution/requestApproval</c>).</summary>
    Command,

    /// <summary>Apply a file change (<c>item/fileChange/requestApproval</c>).</summary>
    FileChange,
}
