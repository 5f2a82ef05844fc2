using System.Text.Json;
using CodexRuntime.Automation.Persistence;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging;

namespace CodexRuntime.Automation;

/// <summary>
/// Keeps each automation's checkpoint as a JSON file <c>&lt;name&gt;.json</c> in one folder. A save writes a temporary
/// file in the same folder, flushes it to disk and renames it over the old one, so a crash leaves either checkpoint
/// whole. Names are escaped so that none can leave the folder: letters, digits, '-' and '_' stay, every other
/// character becomes <c>%XX</c> per UTF-8 byte; a name whose escaped form is longer than 212 characters is stored as a
/// readable prefix of it plus <c>~</c> and the SHA-256 of the name, so every name up to
/// <see cref="AutomationOptions.MaxNameLength"/> fits the file name limit of every common file system. A file that is
/// not a whole, valid checkpoint of the requested name is an <see cref="InvalidDataException"/> naming the file and the
/// field. Each automation's run history is <c>&lt;name&gt;.runs.jsonl</c> next to its checkpoint (see
/// <see cref="AppendRunAsync"/>).
/// </summary>
public sealed class JsonFileAutomationStateStore : IAutomationStateStore
{
    private readonly ILogger _logger;

    /// <summary>Uses (and creates when needed) <paramref name="directory"/>.</summary>
    /// <param name="directory">The folder for the checkpoint files (made absolute).</param>
    public JsonFileAutomationStateStore(string directory)
        : this(directory, null)
    {
    }

    /// <summary>Uses (and creates when needed) <paramref name="directory"/>, logging run history lines it has to skip to <paramref name="logger"/>.</summary>
    /// <param name="directory">The folder for the checkpoint files (made absolute).</param>
    /// <param name="logger">Where a damaged run history line is reported (at Warning); none when null.</param>
    public JsonFileAutomationStateStore(string directory, ILogger? logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = Path.GetFullPath(directory);
        _logger = logger ?? NullLogger.Instance;
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
    /// <remarks>
    /// Reads every <c>*.json</c> file of <see cref="Directory"/> (temporary, lock and owner files are not checkpoints).
    /// The name comes from each file's <c>name</c> field, and the file must be the one <see cref="PathOf"/> gives for
    /// it; a file that is not (copied or renamed by hand), is not JSON or fails a check is listed with its
    /// <see cref="AutomationCheckpointEntry.Problem"/>. A file deleted while the folder is listed is left out.
    /// </remarks>
    public async ValueTask<IReadOnlyList<AutomationCheckpointEntry>> ListAsync(CancellationToken cancellationToken = default)
    {
        var entries = new List<AutomationCheckpointEntry>();
        if (!System.IO.Directory.Exists(Directory))
        {
            return entries;
        }

        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "*.json"))
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Temporary files start with '.'; on Windows "*.json" also matches longer extensions such as ".jsonx".
            if (Path.GetFileName(path).StartsWith('.') || !path.EndsWith(".json", StringComparison.Ordinal))
            {
                continue;
            }

            if (await ReadEntryAsync(path, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                entries.Add(entry);
            }
        }

        // Named entries in name order, then the damaged ones without a name, by file.
        return [.. entries.OrderBy(e => e.Name is null).ThenBy(e => e.Name, StringComparer.Ordinal).ThenBy(e => e.Location, StringComparer.Ordinal)];
    }

    private static async ValueTask<AutomationCheckpointEntry?> ReadEntryAsync(string path, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            // Deleted between the enumeration and the read: it is no longer held.
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new AutomationCheckpointEntry(null, path, null, $"The automation checkpoint {path} cannot be read: {ex.Message}");
        }

        var name = CheckpointReader.StoredName(bytes);
        if (name is not null && CheckpointFileName.For(name) + ".json" != Path.GetFileName(path))
        {
            // LoadAsync(name) would never read this file, and a delete of the name would not remove it.
            return new AutomationCheckpointEntry(null, path, null,
                $"The automation checkpoint {path} is damaged: field 'name' is '{name}', whose checkpoint file is {CheckpointFileName.For(name)}.json (the file was copied or renamed).");
        }

        if (name is null)
        {
            // The full check says exactly which field is wrong; the name it is checked against cannot match.
            name = string.Empty;
        }

        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            var checkpoint = await CheckpointReader.ReadAsync(stream, path, name, cancellationToken).ConfigureAwait(false);
            return new AutomationCheckpointEntry(checkpoint.Name, path, checkpoint, null);
        }
        catch (InvalidDataException ex)
        {
            return new AutomationCheckpointEntry(name.Length == 0 ? null : name, path, null, ex.Message);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Takes the name's lease for the delete (so a starter racing it is refused instead of reading a half-deleted
    /// state), removes <c>&lt;name&gt;.json</c> and <c>&lt;name&gt;.runs.jsonl</c>, and letting the lease go removes
    /// <c>&lt;name&gt;.owner</c>. The empty <c>&lt;name&gt;.lock</c> stays, as after every lease: deleting a lock file lets
    /// two starters lock different files. A name with neither file returns false without taking the lease, so nothing
    /// is created or touched.
    /// </remarks>
    public async ValueTask<bool> DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        var path = PathOf(name);
        var history = HistoryOf(name);
        if (!File.Exists(path) && !history.Exists)
        {
            return false;
        }

        var lease = await AcquireAsync(name, cancellationToken).ConfigureAwait(false);
        await using (lease.ConfigureAwait(false))
        {
            var deleted = false;
            if (File.Exists(path))
            {
                File.Delete(path);
                deleted = true;
            }

            // Another delete may have got there first: then both report false.
            return history.Delete() | deleted;
        }
    }

    /// <inheritdoc />
    public async ValueTask SaveAsync(AutomationCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var path = PathOf(checkpoint.Name);
        System.IO.Directory.CreateDirectory(Directory);
        var temporary = Path.Combine(Directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        await AtomicReplace.WriteAsync(
            path,
            temporary,
            (file, token) => new ValueTask(JsonSerializer.SerializeAsync(file, checkpoint, AutomationJsonContext.Default.AutomationCheckpoint, token)),
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The history is <c>&lt;name&gt;.runs.jsonl</c>, one compact JSON record per line, oldest first. An append writes
    /// one line and flushes it to disk, so a crash can only cut the last line off; readers skip a cut-off line and the
    /// next append cuts it away, so the records before it are never lost. When the retention drops records, the kept ones
    /// are written to a temporary file that is flushed and renamed over the history (a crash leaves the old or the new
    /// one). The store does not check the lease: the automation appends only while it owns the name.
    /// </remarks>
    public async ValueTask AppendRunAsync(AutomationRunRecord record, int keep, TimeSpan? maxAge = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentOutOfRangeException.ThrowIfNegative(keep);
        if (maxAge <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(maxAge), maxAge, "The run history's maximum age must be greater than zero, or null to keep records whatever their age.");
        }

        await HistoryOf(record.Automation).AppendAsync(record, keep, maxAge, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// A line that is not a record of this name (not JSON, a field missing or of the wrong type, another automation's
    /// name) is skipped and logged at Warning to the store's logger, so one damaged line does not hide the other runs; a
    /// last line without its newline is an append a crash cut off and is skipped silently.
    /// </remarks>
    public async ValueTask<IReadOnlyList<AutomationRunRecord>> ReadRunsAsync(string name, int limit = 100, int skip = 0, CancellationToken cancellationToken = default)
    {
        AutomationRunRecord.ValidateRead(limit, skip);
        var records = await HistoryOf(name).ReadAsync(cancellationToken).ConfigureAwait(false);
        return [.. records.Reverse().Skip(skip).Take(limit)];
    }

    /// <summary>The file that holds <paramref name="name"/>'s run history (<c>&lt;checkpoint file stem&gt;.runs.jsonl</c>).</summary>
    /// <param name="name">The automation's name.</param>
    /// <returns>The absolute path (inside <see cref="Directory"/> for any name).</returns>
    /// <exception cref="ArgumentException">The name is empty, longer than <see cref="AutomationOptions.MaxNameLength"/> or not valid Unicode.</exception>
    public string HistoryPathOf(string name) => HistoryOf(name).Path;

    private RunHistoryFile HistoryOf(string name)
    {
        var stem = Path.GetFileNameWithoutExtension(PathOf(name));
        return new RunHistoryFile(Directory, stem, name, _logger);
    }
}
