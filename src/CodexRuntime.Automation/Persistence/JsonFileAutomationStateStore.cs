using System.Text;
using System.Text.Json;

namespace CodexRuntime.Automation.Persistence;

/// <summary>
/// Keeps each automation's checkpoint as a JSON file <c>&lt;name&gt;.json</c> in one folder. A save writes a temporary
/// file in the same folder, flushes it to disk and renames it over the old one, so a crash leaves either checkpoint
/// whole. Names are escaped so that none can leave the folder.
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
    public string PathOf(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return Path.Combine(Directory, FileName(name) + ".json");
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
        try
        {
            return await JsonSerializer.DeserializeAsync(file, AutomationJsonContext.Default.AutomationCheckpoint, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            // Atomic saves never leave a torn file, so this one was edited or written by something else: say which.
            throw new InvalidDataException($"The automation checkpoint {path} is not valid JSON ({ex.Message}); fix or delete it to start '{name}' afresh.", ex);
        }
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

    /// <summary>Letters, digits, '-' and '_' stay; everything else (dots, separators, other characters) becomes <c>%XX</c> per UTF-8 byte.</summary>
    private static string FileName(string name)
    {
        var builder = new StringBuilder(name.Length);
        Span<byte> bytes = stackalloc byte[4];
        foreach (var rune in name.EnumerateRunes())
        {
            if (rune.IsAscii && (char.IsAsciiLetterOrDigit((char)rune.Value) || rune.Value is '-' or '_'))
            {
                builder.Append((char)rune.Value);
                continue;
            }

            var length = rune.EncodeToUtf8(bytes);
            foreach (var b in bytes[..length])
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
