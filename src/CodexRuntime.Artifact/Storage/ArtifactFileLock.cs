using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace CodexRuntime.Artifact.Storage;

/// <summary>
/// The cross-process lock of one artifact folder: a file <c>.lock</c> created exclusively (<c>CreateNew</c>) that
/// holds its <see cref="LockOwner"/>. A lock whose owner is dead is removed and taken; removing it happens under a
/// second, OS-level guard (<c>.lock.guard</c>, opened without sharing, which the OS lets go when its holder dies), so
/// two processes that both saw the same dead owner cannot remove each other's fresh lock.
/// </summary>
internal sealed class ArtifactFileLock
{
    /// <summary>A lock file still empty or unreadable after this long was left by a process that died while creating it.</summary>
    private static readonly TimeSpan UnreadableIsStale = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan LongestPoll = TimeSpan.FromMilliseconds(50);

    private readonly string _path;
    private readonly LockOwner _owner;

    private ArtifactFileLock(string path, LockOwner owner)
    {
        _path = path;
        _owner = owner;
    }

    /// <summary>Waits (polling, at most until <paramref name="deadline"/>) until the lock is this process's; past it, <see cref="TimeoutException"/> names the owner.</summary>
    public static async Task<ArtifactFileLock> AcquireAsync(string folder, string artifactId, DateTimeOffset deadline, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, ".lock");
        var me = LockOwner.Current();
        var content = JsonSerializer.SerializeToUtf8Bytes(me, StorageJsonContext.Default.LockOwner);
        var pause = TimeSpan.FromMilliseconds(1);
        LockOwner? lastSeen = null;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TryCreate(path, content))
            {
                return new ArtifactFileLock(path, me);
            }

            byte[]? held;
            try
            {
                held = AtomicFile.TryRead(path);
            }
            catch (IOException)
            {
                held = []; // being written or locked by its creator right now: unreadable for a moment
            }

            if (held is null)
            {
                continue; // released between our attempt and the read: try again at once
            }

            var owner = LockOwner.Parse(held);
            lastSeen = owner ?? lastSeen;
            var stale = owner is null
                ? time.GetUtcNow() - File.GetLastWriteTimeUtc(path) > UnreadableIsStale
                : !owner.IsAlive();
            if (stale && TryRemoveStale(folder, path, held))
            {
                StoreLog.LockTakenOver(logger, artifactId, owner?.ToString() ?? "an unreadable lock file");
                continue;
            }

            if (time.GetUtcNow() >= deadline)
            {
                throw new TimeoutException(
                    $"The lock of artifact '{artifactId}' ({path}) is held by {lastSeen?.ToString() ?? "a process being identified"}, which is alive; it was not released within the lock timeout. Retry later or raise FsArtifactStoreOptions.LockTimeout.");
            }

            await Task.Delay(pause, time, cancellationToken).ConfigureAwait(false);
            pause = pause * 2 > LongestPoll ? LongestPoll : pause * 2;
        }
    }

    /// <summary>Removes the lock file if it is still this holder's (a lock taken over from us would not be).</summary>
    public void Release()
    {
        if (AtomicFile.TryRead(_path) is { } held && LockOwner.Parse(held) is { } owner && owner.Nonce == _owner.Nonce)
        {
            File.Delete(_path);
        }
    }

    private static bool TryCreate(string path, byte[] content)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        }
        catch (IOException ex) when (AlreadyExists(ex) || File.Exists(path))
        {
            // Taken by someone else (the file may already be gone again: the caller just tries again).
            return false;
        }

        using (stream)
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }

        return true;
    }

    /// <summary>EEXIST on Unix (its errno is the HResult), ERROR_FILE_EXISTS / ERROR_ALREADY_EXISTS on Windows.</summary>
    internal static bool AlreadyExists(IOException ex) => ex.HResult is 17 or unchecked((int)0x80070050) or unchecked((int)0x800700B7);

    /// <summary>Deletes the lock file if, under the guard, it still holds exactly the stale content seen.</summary>
    private static bool TryRemoveStale(string folder, string path, byte[] staleContent)
    {
        FileStream guard;
        try
        {
            guard = new FileStream(Path.Combine(folder, ".lock.guard"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return false; // another process is taking over right now; look again
        }

        using (guard)
        {
            if (AtomicFile.TryRead(path) is not { } now || !now.AsSpan().SequenceEqual(staleContent))
            {
                return false;
            }

            File.Delete(path);
            return true;
        }
    }
}
