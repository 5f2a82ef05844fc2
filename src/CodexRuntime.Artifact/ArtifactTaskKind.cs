using System.Text.Json.Serialization;

namespace CodexRuntime.Artifact;

/// <summary>What an artifact task asks of the model, and what its answer must hold.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ArtifactTaskKind>))]
public enum ArtifactTaskKind
{
    /// <summary>Write the whole document: the answer holds <c>format</c>, <c>title</c>, <c>text</c>; the text is saved.</summary>
    DocGenerate,

    /// <summary>Change the document with a line patch: the answer holds <c>format</c>, <c>expectedRevision</c>, <c>edits</c> (and <c>notes</c>); the patched text is saved.</summary>
    DocEdit,

    /// <summary>Any answer; returned to the caller as JSON (when it is JSON) and text, nothing is saved.</summary>
    Passthrough,
}
