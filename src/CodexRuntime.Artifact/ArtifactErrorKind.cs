using System.Text.Json.Serialization;

namespace CodexRuntime.Artifact;

/// <summary>Why an artifact operation failed (<see cref="ArtifactException.Kind"/>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ArtifactErrorKind>))]
public enum ArtifactErrorKind
{
    /// <summary>The stored revision is not the expected one: someone saved in between. Nothing was written.</summary>
    Conflict,

    /// <summary>The model's answer has no JSON object, or it lacks a required key or has one of the wrong type. Nothing was written.</summary>
    InvalidOutput,

    /// <summary>The model's patch is not valid for the text (range, order, overlap: see <see cref="ArtifactException.PatchError"/>). Nothing was written.</summary>
    InvalidPatch,

    /// <summary>The caller's <see cref="PluginContractVersion"/> has another major than the package's. Nothing was done.</summary>
    IncompatibleContract,

    /// <summary>codex resumed another thread than the artifact's stored one.</summary>
    ThreadMismatch,

    /// <summary>The artifact's lock was not free within the lock timeout (its owner is named in the message).</summary>
    LockTimeout,

    /// <summary>The task did not finish within its time limit (the turn was interrupted). Nothing was written.</summary>
    Timeout,

    /// <summary>The stored files are not what the store wrote (unreadable meta, another artifact's id).</summary>
    Corrupt,

    /// <summary>
    /// The artifact id cannot name an artifact: it is not valid Unicode (an unpaired surrogate), so it cannot be stored
    /// and read back as the same id. Refused before anything was read, written or started.
    /// </summary>
    InvalidId,

    /// <summary>
    /// The artifact does not exist (a rename, undo, redo or diff of an id that was never saved or was deleted), or a diff
    /// names a revision the artifact does not keep. Nothing was changed.
    /// </summary>
    NotFound,

    /// <summary>The artifact's current revision has nothing to undo (it is the first save, or undo reached the oldest step). Nothing was written.</summary>
    NothingToUndo,

    /// <summary>The artifact's current revision has nothing to redo (no undo before it, or an ordinary save dropped the redo path). Nothing was written.</summary>
    NothingToRedo,

    /// <summary>
    /// The revision an undo, redo or diff needs existed but the store no longer keeps it (retention by count or age).
    /// Nothing was written; keep more revisions (<c>KeptRevisions</c>, <c>MaxRevisionAge</c>) to step back further.
    /// </summary>
    RevisionNotKept,
}
