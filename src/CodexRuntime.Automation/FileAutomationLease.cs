using System.Text.Json;

namespace CodexRuntime.Automation;

/// <summary>
/// Ownership of one automation name in a <see cref="JsonFileAutomationStateStore"/> folder: <c>&lt;stem&gt;.lock</c> held
/// open with <see cref="FileShare.None"/> (an exclusive lock the OS drops when the owning process ends, however it
/// ends, so a crashed owner's successor takes over and a reused process id cannot keep it), and
/// <c>&lt;stem&gt;.owner</c> naming the owner (host, process id, start time) for whoever is refused. The lock file is
/// never deleted: deleting it could let a second starter lock the removed file while a third locks the new one.
/// </summary>
internal sealed class FileAutomationLease : IAsyncDisposable
{
    // How .NET reports a lock another handle holds: ERROR_SHARING_VIOLATION or ERROR_LOCK_VIOLATION on Windows; on Unix
    // an IOException whose HResult is flock's errno, EWOULDBLOCK (11 on Linux, 35 on macOS and the BSDs).
    private const int SharingViolation = unchecked((int)0x80070020);
    private const int LockViolation = unchecked((int)0x80070021);
    private static readonly int WouldBlock = OperatingSystem.IsLinux() ? 11 : 35;

    private readonly FileStream _lock;
    private readonly string _ownerPath;
    private int _released;

    private FileAutomationLease(FileStream lockFile, string ownerPath)
    {
        _lock = lockFile;
        _ownerPath = ownerPath;
    }

    public static FileAutomationLease Acquire(string directory, string stem, string name)
    {
        Directory.CreateDirectory(directory);
        var lockPath = Path.Combine(directory, stem + ".lock");
        var ownerPath = Path.Combine(directory, stem + ".owner");
        FileStream lockFile;
        try
        {
            lockFile = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (IsHeld(ex))
        {
            throw new AutomationOwnedException(name, ReadOwner(ownerPath), lockPath);
        }

        try
        {
            // An owner still recorded here ended without letting go (a crash): the OS gave us its lock, so it is replaced.
            WriteOwner(directory, ownerPath, AutomationOwner.Current);
            return new FileAutomationLease(lockFile, ownerPath);
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    private static bool IsHeld(IOException ex) =>
        OperatingSystem.IsWindows() ? ex.HResult is SharingViolation or LockViolation : ex.HResult == WouldBlock;

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            try
            {
                // Still ours: nobody else can write it while we hold the lock. Removed first, so no successor reads us as its owner.
                File.Delete(_ownerPath);
            }
            finally
            {
                _lock.Dispose();
            }
        }

        return ValueTask.CompletedTask;
    }

    private static AutomationOwner? ReadOwner(string ownerPath)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(ownerPath), AutomationJsonContext.Default.AutomationOwner);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            // Not recorded (yet), or unreadable: the message says the owner is unknown rather than hiding the refusal.
            return null;
        }
    }

    private static void WriteOwner(string directory, string ownerPath, AutomationOwner owner)
    {
        // Written whole and renamed into place, so a refused starter never reads half an owner. The short suffix keeps
        // the temporary name within 255 characters for the longest stem.
        var temporary = Path.Combine(directory, $".{Path.GetFileName(ownerPath)}.{Guid.NewGuid().ToString("N")[..8]}.tmp");
        try
        {
            File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(owner, AutomationJsonContext.Default.AutomationOwner));
            File.Move(temporary, ownerPath, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
