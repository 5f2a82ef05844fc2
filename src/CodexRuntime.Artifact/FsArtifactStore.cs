using System.Globalization;
using System.Text.Json;
using CodexRuntime.Artifact.Patching;
using CodexRuntime.Artifact.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CodexRuntime.Artifact;

/// <summary>
/// Artifacts as files under one root folder: a folder per artifact (a readable part of the id plus a hash of it, so no
/// id escapes the root or shares a folder) holding <c>text</c>, <c>meta.json</c> and <c>history/</c> (the last
/// <see cref="FsArtifactStoreOptions.KeptRevisions"/> revisions). Every file is written atomically (temporary file +
/// rename). Each call holds the artifact's lock: in memory against this process's other callers, and a lock file
/// against other processes (taken over when its owner is dead). Saves compare and swap on the revision under that
/// lock, and put the text back when the meta cannot be written.
/// </summary>
public sealed class FsArtifactStore : IArtifactStore
{
    private readonly FsArtifactStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ArtifactLocks _locks;
    private readonly ArtifactFiles _files;
    private readonly RevisionRetention _retention;

    /// <summary>Creates a store; the root is created on the first save.</summary>
    /// <param name="root">The folder that holds every artifact (made absolute).</param>
    /// <param name="options">Kept revisions, lock timeout, clock; defaults when null.</param>
    /// <param name="logger">Logging (lock take-overs, repairs, roll-backs); none when null.</param>
    /// <exception cref="ArgumentException">The root is empty, or an option is out of range.</exception>
    public FsArtifactStore(string root, FsArtifactStoreOptions? options = null, ILogger<FsArtifactStore>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _options = options ?? new FsArtifactStoreOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.KeptRevisions, 1, "options.KeptRevisions");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.LockTimeout, TimeSpan.Zero, "options.LockTimeout");
        if (_options.MaxRevisionAge is { } age)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(age, TimeSpan.Zero, "options.MaxRevisionAge");
        }

        Root = Path.GetFullPath(root);
        _time = _options.TimeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _locks = new ArtifactLocks(_options.LockTimeout, _time, _logger);
        _files = new ArtifactFiles(Root, _logger, _time);
        _retention = new RevisionRetention(_files, _options.KeptRevisions, _options.MaxRevisionAge, _time);
    }

    /// <summary>The root folder, absolute.</summary>
    public string Root { get; }

    /// <summary>How many in-memory gates of this store's root exist (held or waited for); the rest of the process's are not counted.</summary>
    internal int GateCount => ArtifactLocks.GateCount(Root);

    /// <summary>Called with a file's name (<c>text</c>, <c>meta.json</c>, ...) before each write: lets tests make one write fail.</summary>
    internal Action<string>? BeforeWrite { get => _files.BeforeWrite; set => _files.BeforeWrite = value; }

    /// <summary>Called with the artifact id when a call finds the lock taken in this process and starts to wait: lets tests await "it is waiting".</summary>
    internal Action<string>? LockWaiting { get => _locks.Waiting; set => _locks.Waiting = value; }

    /// <summary>The folder of an artifact (whether or not it exists yet): always directly under <see cref="Root"/>.</summary>
    /// <param name="artifactId">The artifact id.</param>
    /// <returns>The absolute folder path.</returns>
    /// <exception cref="ArtifactException">The id is not valid Unicode (<see cref="ArtifactErrorKind.InvalidId"/>); every store call checks its id here, before touching the disk.</exception>
    public string GetFolder(string artifactId) => _files.Folder(artifactId);

    /// <summary>
    /// Takes the artifact's lock (this process's gate, then the lock file) and holds it until the handle is disposed,
    /// so several calls become one step. Store calls made by the holder — in the async flow that called this method
    /// and awaits it, and in work that flow starts — run under the held lock, one at a time; every other caller (another
    /// async flow of this process, another process) waits for the release or fails with
    /// <see cref="ArtifactErrorKind.LockTimeout"/>. Calling it again in a flow that holds the lock returns a handle that
    /// is part of the outer hold (disposing it changes nothing).
    /// </summary>
    /// <remarks>
    /// Hold and use the lock in the same method (or methods it calls): the holding flow is recorded in an
    /// <see cref="AsyncLocal{T}"/>, which does not flow back out of an <c>async</c> method to its caller, so a helper
    /// that only returns the handle leaves its caller without the hold (its calls then wait like anyone else's).
    /// </remarks>
    /// <param name="artifactId">The artifact id.</param>
    /// <param name="cancellationToken">Abandons waiting.</param>
    /// <returns>The held lock; dispose it to release.</returns>
    /// <exception cref="ArtifactException">The lock was not free within the lock timeout (<see cref="ArtifactErrorKind.LockTimeout"/>), or the id is invalid (<see cref="ArtifactErrorKind.InvalidId"/>).</exception>
    public Task<IAsyncDisposable> LockAsync(string artifactId, CancellationToken cancellationToken = default) =>
        // Not async on purpose: the hold marks the caller's flow synchronously; only the wait is translated.
        TranslateTimeout(artifactId, _locks.HoldAsync(artifactId, GetFolder(artifactId), cancellationToken));

    /// <summary>The lock for one store call: the held lock when this flow holds it, else the lock taken for the call.</summary>
    private Task<IAsyncDisposable> EnterAsync(string artifactId, CancellationToken cancellationToken) =>
        TranslateTimeout(artifactId, _locks.EnterAsync(artifactId, GetFolder(artifactId), cancellationToken));

    /// <summary>A lock wait that timed out is the public <see cref="ArtifactErrorKind.LockTimeout"/>, with the locks' message.</summary>
    private static async Task<IAsyncDisposable> TranslateTimeout(string artifactId, Task<IAsyncDisposable> locking)
    {
        try
        {
            return await locking.ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new ArtifactException(ArtifactErrorKind.LockTimeout, artifactId, ex.Message, ex);
        }
    }

    /// <inheritdoc />
    public async Task<ArtifactRecord?> LoadAsync(string artifactId, CancellationToken cancellationToken = default)
    {
        await using var held = await EnterAsync(artifactId, cancellationToken).ConfigureAwait(false);
        return _files.ReadCurrent(artifactId).Record;
    }

    /// <inheritdoc />
    public async Task<ArtifactRecord> SaveAsync(string artifactId, ArtifactSave save, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(save);
        ArgumentNullException.ThrowIfNull(save.Text);
        ArgumentException.ThrowIfNullOrEmpty(save.Title);
        ArgumentException.ThrowIfNullOrEmpty(save.Format);
        await using var held = await EnterAsync(artifactId, cancellationToken).ConfigureAwait(false);
        var (current, currentBytes, stored) = _files.ReadCurrent(artifactId);
        if (!string.Equals(current?.Revision, save.ExpectedRevision, StringComparison.Ordinal))
        {
            throw ArtifactException.Conflict(artifactId, save.ExpectedRevision, current?.Revision);
        }

        var previousSequence = stored?.Sequence ?? current?.Meta.Sequence ?? 0;
        if (save.ExpectedSequence is { } expectedSequence && expectedSequence != previousSequence)
        {
            throw ArtifactException.SequenceConflict(artifactId, expectedSequence, previousSequence, current?.Revision);
        }

        CheckLinks(save, previousSequence + 1);
        var ordinary = save.Change == ArtifactChange.Save;
        var folder = GetFolder(artifactId);
        var bytes = ArtifactFiles.Utf8.GetBytes(save.Text);
        var meta = new StoredMeta
        {
            ArtifactId = artifactId,
            Title = save.Title,
            Format = save.Format,
            Revision = DocPatches.RevisionOf(bytes),
            RuntimeThreadId = save.RuntimeThreadId,
            Sequence = previousSequence + 1,
            PreviousRevision = current?.Revision,
            SavedAt = _time.GetUtcNow(),
            Change = StoredMeta.ChangeName(save.Change),
            RestoredSequence = ordinary ? null : save.RestoredSequence,
            // An ordinary save undoes to the save it replaced and drops the redo path, as an editor's new edit does.
            UndoSequence = ordinary ? previousSequence : save.UndoSequence,
            RedoSequence = ordinary ? 0 : save.RedoSequence,
        };
        var metaBytes = JsonSerializer.SerializeToUtf8Bytes(meta, StoredMetaJsonContext.Default.StoredMeta);

        // History first: until the current files change, a failure leaves only an unlisted history entry behind.
        var history = Directory.CreateDirectory(Path.Combine(folder, ArtifactFiles.HistoryFolder)).FullName;
        var entry = Path.Combine(history, meta.Sequence.ToString("D12", CultureInfo.InvariantCulture));
        try
        {
            _files.Write(entry + ".text", bytes);
            _files.Write(entry + ".json", metaBytes);
        }
        catch
        {
            AtomicFile.TryDelete(entry + ".text");
            AtomicFile.TryDelete(entry + ".json");
            throw;
        }

        _files.Write(Path.Combine(folder, ArtifactFiles.TextFile), bytes);
        try
        {
            _files.Write(Path.Combine(folder, ArtifactFiles.MetaFile), metaBytes);
        }
        catch (Exception ex)
        {
            ArtifactFiles.RollBack(folder, currentBytes, entry);
            StoreLog.SaveRolledBack(_logger, artifactId, ex.GetType().Name, current?.Revision);
            throw;
        }

        _retention.Prune(artifactId, meta.Sequence);
        return new ArtifactRecord(artifactId, save.Text, meta.ToMeta(meta.Revision));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ArtifactMeta>> ListRevisionsAsync(string artifactId, CancellationToken cancellationToken = default)
    {
        await using var held = await EnterAsync(artifactId, cancellationToken).ConfigureAwait(false);
        return _files.History(artifactId).Select(e => e.Meta.ToMeta(e.Meta.Revision)).ToArray();
    }

    /// <inheritdoc />
    public async Task<ArtifactRecord?> LoadRevisionAsync(string artifactId, string revision, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(revision);
        await using var held = await EnterAsync(artifactId, cancellationToken).ConfigureAwait(false);
        foreach (var (path, meta) in _files.History(artifactId))
        {
            if (meta.Revision == revision && AtomicFile.TryRead(path + ".text") is { } bytes)
            {
                return new ArtifactRecord(artifactId, ArtifactFiles.Utf8.GetString(bytes), meta.ToMeta(revision));
            }
        }

        return null;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Takes no lock, so a listing never waits for a holder: it reads each folder's meta (every file is written
    /// atomically), sorts all ids, and reads the text of this page's entries only (their revision is the text's, as
    /// <see cref="LoadAsync"/> reports it). A folder that is not a whole artifact is left out and logged: a meta that is
    /// not valid JSON, a meta naming an id whose folder is another (copied by hand), a text without a meta. Folders with
    /// neither (left by a lock on a never-saved id) and deletes in progress are left out silently.
    /// </remarks>
    public Task<ArtifactPage> ListAsync(int pageSize = 100, string? continuationToken = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, IArtifactStore.MaxPageSize);
        var after = continuationToken is null ? null : ArtifactListCursor.Decode(continuationToken);
        var found = new List<(string Folder, StoredMeta Meta)>();
        if (Directory.Exists(Root))
        {
            foreach (var folder in Directory.EnumerateDirectories(Root))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (_files.ListedMeta(folder) is { } meta && (after is null || string.CompareOrdinal(meta.ArtifactId, after) > 0))
                {
                    found.Add((folder, meta));
                }
            }
        }

        found.Sort((a, b) => string.CompareOrdinal(a.Meta.ArtifactId, b.Meta.ArtifactId));
        var items = new List<ArtifactEntry>(Math.Min(pageSize, found.Count));
        foreach (var (folder, meta) in found.Take(pageSize))
        {
            // Deleted since its meta was read: leave it out rather than show an entry that no longer loads.
            if (AtomicFile.TryRead(Path.Combine(folder, ArtifactFiles.TextFile)) is { } text)
            {
                items.Add(new ArtifactEntry(meta.ArtifactId, meta.Title, meta.Format, DocPatches.RevisionOf(text), meta.SavedAt) { Sequence = meta.Sequence });
            }
        }

        // The cursor is the last id considered, not the last one shown, so a dropped entry is not looked at again.
        var token = found.Count > pageSize ? ArtifactListCursor.Encode(found[pageSize - 1].Meta.ArtifactId) : null;
        return Task.FromResult(new ArtifactPage(items, token));
    }

    /// <inheritdoc />
    /// <remarks>
    /// Marks the folder deleted first (one rename of <c>meta.json</c> to <c>.deleted</c>), then removes the text and the
    /// kept revisions, then the mark. Every other call runs under the lock, so none sees a half-deleted artifact; a
    /// crash in between leaves the mark, and the next call on the id (or listing, which skips marked folders) treats it
    /// as deleted, with the next locked call finishing the removal. The folder itself stays (with the lock files),
    /// like the folder a load of a never-saved id leaves.
    /// </remarks>
    public async Task<bool> DeleteAsync(string artifactId, CancellationToken cancellationToken = default)
    {
        await using var held = await EnterAsync(artifactId, cancellationToken).ConfigureAwait(false);
        return _files.DeleteUnderLock(GetFolder(artifactId));
    }

    /// <inheritdoc />
    /// <remarks>
    /// Takes both locks in ordinal order of their folder names, so two renames of the same pair cannot deadlock. Writes
    /// the new id's kept revisions, text and last its meta (from then on the new id is complete), then deletes the old id
    /// like <see cref="DeleteAsync"/>. Other calls wait for both locks, so they see the old id or the new one, never
    /// both or a half. A crash before the new meta is written leaves the old id whole and the new one partly written
    /// (kept revisions, perhaps a text that loads with a repaired meta): delete the new id and rename again. A crash
    /// after it leaves both ids whole: delete the old one.
    /// </remarks>
    public async Task<ArtifactRecord> RenameAsync(string artifactId, string newArtifactId, CancellationToken cancellationToken = default)
    {
        var source = GetFolder(artifactId);
        var target = GetFolder(newArtifactId);
        var sourceFirst = string.CompareOrdinal(Path.GetFileName(source), Path.GetFileName(target)) <= 0;
        await using var first = await EnterAsync(sourceFirst ? artifactId : newArtifactId, cancellationToken).ConfigureAwait(false);
        await using var second = string.Equals(source, target, StringComparison.Ordinal)
            ? null
            : await EnterAsync(sourceFirst ? newArtifactId : artifactId, cancellationToken).ConfigureAwait(false);

        var (current, textBytes, stored) = _files.ReadCurrent(artifactId);
        if (current is null)
        {
            throw new ArtifactException(ArtifactErrorKind.NotFound, artifactId, $"Artifact '{artifactId}' does not exist, so it cannot be renamed to '{newArtifactId}'; nothing was changed.");
        }

        if (_files.ReadCurrent(newArtifactId).Record is { } existing)
        {
            throw new ArtifactException(ArtifactErrorKind.Conflict, newArtifactId, $"Artifact '{artifactId}' cannot be renamed to '{newArtifactId}': that id exists (revision {existing.Revision}); nothing was changed. Delete it first or choose another id.")
            {
                ActualRevision = existing.Revision,
            };
        }

        // A partial earlier attempt may have left kept revisions under the new id: they are not its history.
        var targetHistory = Path.Combine(target, ArtifactFiles.HistoryFolder);
        if (Directory.Exists(targetHistory))
        {
            Directory.Delete(targetHistory, recursive: true);
        }

        try
        {
            _files.CopyUnderNewId(artifactId, newArtifactId, target, current, textBytes, stored);
        }
        catch
        {
            // Nothing of the new id counts until its meta is written: remove what was copied, the old id is untouched.
            if (Directory.Exists(targetHistory))
            {
                Directory.Delete(targetHistory, recursive: true);
            }

            AtomicFile.TryDelete(Path.Combine(target, ArtifactFiles.TextFile));
            AtomicFile.TryDelete(Path.Combine(target, ArtifactFiles.MetaFile));
            throw;
        }

        _files.DeleteUnderLock(source);
        return current with { ArtifactId = newArtifactId };
    }

    /// <summary>An undo or redo save must link to earlier saves only (it restores one and points undo and redo at others).</summary>
    private static void CheckLinks(ArtifactSave save, long sequence)
    {
        if (save.Change == ArtifactChange.Save)
        {
            return;
        }

        if (save.RestoredSequence < 1 || save.RestoredSequence >= sequence || save.UndoSequence < 0 || save.UndoSequence >= sequence || save.RedoSequence < 0 || save.RedoSequence >= sequence)
        {
            throw new ArgumentException(
                $"An {save.Change} save must restore an earlier save and link undo and redo to earlier saves (or 0): this save would be sequence {sequence}, but it names restored {save.RestoredSequence}, undo {save.UndoSequence}, redo {save.RedoSequence}. Use ArtifactHistory to undo and redo.",
                nameof(save));
        }
    }

}
