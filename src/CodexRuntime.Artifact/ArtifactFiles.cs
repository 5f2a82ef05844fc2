using System.Text;
using System.Text.Json;
using CodexRuntime.Artifact.Patching;
using CodexRuntime.Artifact.Storage;
using Microsoft.Extensions.Logging;

namespace CodexRuntime.Artifact;

/// <summary>
/// The files of a file store's artifact folders: <c>text</c>, <c>meta.json</c>, the kept revisions under
/// <c>history/</c> and the <c>.deleted</c> mark; reading them (the revision always the text's), writing them atomically,
/// and removing them. The caller holds the artifact's lock; the store decides what to write.
/// </summary>
internal sealed class ArtifactFiles(string root, ILogger logger, TimeProvider time)
{
    public const string TextFile = "text";
    public const string MetaFile = "meta.json";
    public const string HistoryFolder = "history";
    public const string DeletedMark = ".deleted";

    public static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Called with a file's name (<c>text</c>, <c>meta.json</c>, ...) before each write: lets tests make one write fail.</summary>
    public Action<string>? BeforeWrite { get; set; }

    /// <summary>The folder of an artifact (whether or not it exists yet): always directly under the root; checks the id first.</summary>
    public string Folder(string artifactId)
    {
        ArtifactIds.Validate(artifactId);
        return Path.Combine(root, ArtifactFolderKey.For(artifactId));
    }

    /// <summary>Writes the artifact's kept revisions, text and (last) meta under the new id's folder.</summary>
    public void CopyUnderNewId(string artifactId, string newArtifactId, string target, ArtifactRecord current, byte[]? textBytes, StoredMeta? stored)
    {
        var targetHistory = Directory.CreateDirectory(Path.Combine(target, HistoryFolder)).FullName;
        foreach (var (entry, meta) in History(artifactId))
        {
            if (AtomicFile.TryRead(entry + ".text") is { } entryText)
            {
                var to = Path.Combine(targetHistory, Path.GetFileName(entry));
                Write(to + ".text", entryText);
                Write(to + ".json", JsonSerializer.SerializeToUtf8Bytes(Renamed(meta, newArtifactId), StoredMetaJsonContext.Default.StoredMeta));
            }
        }

        Write(Path.Combine(target, TextFile), textBytes ?? []);
        var newMeta = Renamed(stored ?? new StoredMeta
        {
            ArtifactId = artifactId,
            Title = current.Meta.Title,
            Format = current.Meta.Format,
            Revision = current.Revision,
            SavedAt = time.GetUtcNow(),
        }, newArtifactId);
        Write(Path.Combine(target, MetaFile), JsonSerializer.SerializeToUtf8Bytes(newMeta, StoredMetaJsonContext.Default.StoredMeta));
    }

    /// <summary>The stored meta under another id; everything else (revision, sequence, time) unchanged.</summary>
    private static StoredMeta Renamed(StoredMeta meta, string artifactId) => new()
    {
        ArtifactId = artifactId,
        Title = meta.Title,
        Format = meta.Format,
        Revision = meta.Revision,
        RuntimeThreadId = meta.RuntimeThreadId,
        Sequence = meta.Sequence,
        PreviousRevision = meta.PreviousRevision,
        SavedAt = meta.SavedAt,
        Change = meta.Change,
        RestoredSequence = meta.RestoredSequence,
        UndoSequence = meta.UndoSequence,
        RedoSequence = meta.RedoSequence,
    };

    /// <summary>Marks, then removes, an artifact's files (the caller holds its lock); false when there was no artifact.</summary>
    public bool DeleteUnderLock(string folder)
    {
        var mark = Path.Combine(folder, DeletedMark);
        var meta = Path.Combine(folder, MetaFile);
        if (File.Exists(mark))
        {
            FinishDelete(folder);
        }

        if (File.Exists(meta))
        {
            File.Move(meta, mark, overwrite: true);
        }
        else if (File.Exists(Path.Combine(folder, TextFile)))
        {
            Write(mark, []);
        }
        else
        {
            return false;
        }

        FinishDelete(folder);
        return true;
    }

    /// <summary>Removes the files of a folder marked deleted, the mark last, so a crash midway leaves it still marked.</summary>
    private static void FinishDelete(string folder)
    {
        var history = Path.Combine(folder, HistoryFolder);
        if (Directory.Exists(history))
        {
            Directory.Delete(history, recursive: true);
        }

        File.Delete(Path.Combine(folder, TextFile));
        File.Delete(Path.Combine(folder, MetaFile));
        File.Delete(Path.Combine(folder, DeletedMark));
    }

    /// <summary>The meta of a folder that holds a whole artifact, for listing; null (logged when it is damaged) otherwise.</summary>
    public StoredMeta? ListedMeta(string folder)
    {
        var name = Path.GetFileName(folder);
        if (File.Exists(Path.Combine(folder, DeletedMark)))
        {
            return null;
        }

        byte[]? bytes;
        try
        {
            bytes = AtomicFile.TryRead(Path.Combine(folder, MetaFile));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            StoreLog.ListSkipped(logger, name, $"its meta cannot be read ({ex.GetType().Name})");
            return null;
        }

        if (bytes is null)
        {
            if (File.Exists(Path.Combine(folder, TextFile)))
            {
                StoreLog.ListSkipped(logger, name, "it has a text but no meta, so its id is unknown");
            }

            return null;
        }

        StoredMeta? meta;
        try
        {
            meta = JsonSerializer.Deserialize(bytes, StoredMetaJsonContext.Default.StoredMeta);
        }
        catch (JsonException)
        {
            StoreLog.ListSkipped(logger, name, "its meta is not valid JSON");
            return null;
        }

        if (meta is null || string.IsNullOrEmpty(meta.ArtifactId) || !string.Equals(ArtifactFolderKey.For(meta.ArtifactId), name, StringComparison.Ordinal))
        {
            StoreLog.ListSkipped(logger, name, "its meta names an id whose folder is another (copied or renamed by hand)");
            return null;
        }

        return meta;
    }

    /// <summary>The current text and meta, with the revision always taken from the text (and the repair logged).</summary>
    public (ArtifactRecord? Record, byte[]? TextBytes, StoredMeta? Stored) ReadCurrent(string artifactId)
    {
        var folder = Folder(artifactId);
        FinishInterruptedDelete(folder);
        var bytes = AtomicFile.TryRead(Path.Combine(folder, TextFile));
        var stored = ReadMeta(artifactId, Path.Combine(folder, MetaFile));
        if (bytes is null && stored is null)
        {
            return (null, null, null);
        }

        var revision = DocPatches.RevisionOf(bytes ?? []);
        var meta = stored?.ToMeta(revision) ?? new ArtifactMeta(artifactId, ArtifactMeta.DefaultFormat, revision, null);
        var repaired = stored?.Revision != revision;
        if (repaired)
        {
            StoreLog.RevisionRepaired(logger, artifactId, stored?.Revision, revision);
        }

        return (new ArtifactRecord(artifactId, Utf8.GetString(bytes ?? []), meta) { RevisionRepaired = repaired }, bytes, stored);
    }

    /// <summary>A delete that crashed midway left its mark: the artifact is gone, so finish removing it (the caller holds the lock).</summary>
    private static void FinishInterruptedDelete(string folder)
    {
        if (File.Exists(Path.Combine(folder, DeletedMark)))
        {
            FinishDelete(folder);
        }
    }

    private static StoredMeta? ReadMeta(string artifactId, string path)
    {
        if (AtomicFile.TryRead(path) is not { } bytes)
        {
            return null;
        }

        StoredMeta? meta;
        try
        {
            meta = JsonSerializer.Deserialize(bytes, StoredMetaJsonContext.Default.StoredMeta);
        }
        catch (JsonException ex)
        {
            throw new ArtifactException(ArtifactErrorKind.Corrupt, artifactId, $"The meta file {path} of artifact '{artifactId}' is not valid JSON ({ex.Message}); the store writes it atomically, so something else changed it.", ex);
        }

        if (meta is null || !string.Equals(meta.ArtifactId, artifactId, StringComparison.Ordinal))
        {
            throw new ArtifactException(ArtifactErrorKind.Corrupt, artifactId, $"The meta file {path} belongs to another artifact id than '{artifactId}'; the folder was copied or renamed by hand.");
        }

        return meta;
    }

    /// <summary>Kept history entries (path without extension, meta), newest first.</summary>
    public List<(string Path, StoredMeta Meta)> History(string artifactId)
    {
        var folder = Folder(artifactId);
        FinishInterruptedDelete(folder);
        var history = Path.Combine(folder, HistoryFolder);
        if (!Directory.Exists(history))
        {
            return [];
        }

        var entries = new List<(string, StoredMeta)>();
        foreach (var file in Directory.EnumerateFiles(history, "*.json"))
        {
            if (ReadMeta(artifactId, file) is { } meta)
            {
                entries.Add((Path.ChangeExtension(file, null), meta));
            }
        }

        return entries.OrderByDescending(e => e.Item2.Sequence).ToList();
    }

    public void Write(string path, ReadOnlySpan<byte> bytes)
    {
        BeforeWrite?.Invoke(Path.GetFileName(path));
        AtomicFile.Write(path, bytes);
    }

    /// <summary>The meta write failed after the text was replaced: put the previous text back, drop the new history entry.</summary>
    public static void RollBack(string folder, byte[]? previousText, string entry)
    {
        var text = Path.Combine(folder, TextFile);
        if (previousText is null)
        {
            AtomicFile.TryDelete(text);
        }
        else
        {
            AtomicFile.Write(text, previousText);
        }

        AtomicFile.TryDelete(entry + ".text");
        AtomicFile.TryDelete(entry + ".json");
    }
}
