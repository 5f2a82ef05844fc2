using System.Text.Json;

namespace CodexRuntime.Automation.Persistence;

/// <summary>
/// Keeps each automation's checkpoint as a JSON file <c>&lt;name&gt;.json</c> in one folder. A save writes a temporary
/// file in the same folder, flushes it to disk and renames it over the old one, so a crash leaves either checkpoint
/// whole. Names are escaped so that none can leave the folder: letters, digits, '-' and '_' stay, every other
/// character becomes <c>%XX</c> per UTF-8 byte; a name whose escaped form is longer than 212 characters is stored as a
/// readable prefix of it plus <c>~</c> and the SHA-256 of the name, so every name up to
/// <see cref="AutomationOptions.MaxNameLength"/> fits the file name limit of every common file system. A file that is
/// not a whole, valid checkpoint of the requested name is an <see cref="InvalidDataException"/> naming the file and the
/// field.
/// </summary>
public sealed class JsonFileAutomationStateStore : IAutomationStateStore
{
    /// <summary>Uses (and creates when needed) <paramref name="directory"/>.</summary>
    /// <param name="directory">The folder for the checkpoint files (made absolute).</param>
    public JsonFileAutomationStateStore(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = Path.GetFullPath(directory);
    }

    /// <summary>The folder holding the checkpoint files.</summary>
    public string Directory { get; }

    /// <summary>The file that holds <paramref name="name"/>'s checkpoint.</summary>
    /// <param name="name">The automation's name.</param>
    /// <returns>The absolute path (inside <see cref="Directory"/> for any name).</returns>
    /// <exception cref="ArgumentException">The name is empty, longer than <see cref="AutomationOptions.MaxNameLength"/> or not valid Unicode.</exception>
    public string PathOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        AutomationName.Validate(name, "The automation name", nameof(name));
        return Path.Combine(Directory, CheckpointFileName.For(name) + ".json");
    }

    /// <inheritdoc />
    public async ValueTask<AutomationCheckpoint?> LoadAsync(string name, CancellationToken cancellationToken = default)
    {
        var path = PathOf(name);
        if (!File.Exists(path))
        {
            return null;
        }

        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 4096, useAsync: true);
        return await CheckpointReader.ReadAsync(file, path, name, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// <c>&lt;name&gt;.lock</c> is held open exclusively (<see cref="FileShare.None"/>: a <c>flock</c> on Unix, a share
    /// mode on Windows), which the OS drops when the owning process ends, so a crashed owner's successor takes over;
    /// <c>&lt;name&gt;.owner</c> records the owner (host, process id, process start time) for the refusal's message. The
    /// lock file stays in the folder after the lease ends.
    /// </remarks>
    public ValueTask<IAsyncDisposable> AcquireAsync(string name, CancellationToken cancellationToken = default)
    {
        var stem = Path.GetFileNameWithoutExtension(PathOf(name));
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<IAsyncDisposable>(FileAutomationLease.Acquire(Directory, stem, name));
    }

    /// <inheritdoc />
    public async ValueTask SaveAsync(AutomationCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var path = PathOf(checkpoint.Name);
        System.IO.Directory.CreateDirectory(Directory);
        var temporary = Path.Combine(Directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true))
            {
                await JsonSerializer.SerializeAsync(file, checkpoint, AutomationJsonContext.Default.AutomationCheckpoint, cancellationToken).ConfigureAwait(false);
                // Durable before it replaces the old file: a power cut must not leave an empty checkpoint behind the rename.
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
