using System.Text.Json.Serialization;

namespace CodexRuntime.Artifact.Patching;

/// <summary>Why a <see cref="DocPatch"/> was refused; each has its own value so callers can tell a conflict from a bad patch.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DocPatchError>))]
public enum DocPatchError
{
    /// <summary>The patch is valid.</summary>
    None,

    /// <summary>An edit's range is outside <c>1 ≤ startLine ≤ endLine ≤ lines + 1</c>.</summary>
    InvalidRange,

    /// <summary>An edit starts before the previous edit's start.</summary>
    NotSorted,

    /// <summary>An edit starts inside the previous edit (after its start, before its end).</summary>
    Overlap,

    /// <summary>The text's revision is not the patch's expected revision: the text changed since the patch was made (a conflict).</summary>
    RevisionMismatch,
}
