using Microsoft.Extensions.Logging;

namespace CodexRuntime.Artifact.Storage;

/// <summary>The file store's log messages (ids and revisions only, never text).</summary>
internal static partial class StoreLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Took over the lock of artifact '{ArtifactId}' from {Owner}, which is no longer running.")]
    public static partial void LockTakenOver(ILogger logger, string artifactId, string owner);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Artifact '{ArtifactId}': the meta named revision {Stored} but the text is at {Actual}; the text's revision is used.")]
    public static partial void RevisionRepaired(ILogger logger, string artifactId, string? stored, string actual);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Artifact '{ArtifactId}': writing the meta failed ({Error}); the text was rolled back to revision {Revision}.")]
    public static partial void SaveRolledBack(ILogger logger, string artifactId, string error, string? revision);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Artifact '{ArtifactId}': releasing its lock failed ({Error}); it is taken over once this process ends.")]
    public static partial void ReleaseFailed(ILogger logger, string artifactId, string error);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Listing artifacts: skipped folder {Folder}: {Reason}.")]
    public static partial void ListSkipped(ILogger logger, string folder, string reason);
}
