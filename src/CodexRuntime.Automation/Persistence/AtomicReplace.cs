namespace CodexRuntime.Automation.Persistence;

/// <summary>
/// Replaces a file atomically: writes a temporary file beside it, flushes it to disk, then renames it over the target,
/// so a crash or power cut leaves the old content or the new, never a mix or an empty file. Used for checkpoints and
/// for run histories that retention rewrites.
/// </summary>
internal static class AtomicReplace
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="temporary"/> (a name in the same folder that nothing else uses).</summary>
    public static async ValueTask WriteAsync(string path, string temporary, Func<FileStream, CancellationToken, ValueTask> write, CancellationToken cancellationToken)
    {
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true))
            {
                await write(file, cancellationToken).ConfigureAwait(false);
                // Durable before it replaces the old file: a power cut must not leave an empty file behind the rename.
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
