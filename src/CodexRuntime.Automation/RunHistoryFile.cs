using System.Text.Json;
using CodexRuntime.Automation.Persistence;
using Microsoft.Extensions.Logging;

namespace CodexRuntime.Automation;

/// <summary>
/// One automation's run history in a <see cref="JsonFileAutomationStateStore"/> folder: <c>&lt;stem&gt;.runs.jsonl</c>, one
/// compact JSON record per line, oldest first. An append writes one line and flushes it to disk, so a crash can only cut
/// the last line; a cut line (no newline at its end) is skipped by readers and cut away by the next append. When the
/// retention drops records, the kept ones are written to a temporary file, flushed and renamed over the history, so a
/// crash leaves the old or the new history, whole.
/// </summary>
internal sealed class RunHistoryFile
{
    /// <summary>The history's file name after the stem; with the temporary file's <c>.&lt;stem&gt;.runs.&lt;32 hex&gt;.tmp</c> every stem fits 255 bytes.</summary>
    public const string Suffix = ".runs.jsonl";

    private const byte NewLine = (byte)'\n';

    private readonly string _directory;
    private readonly string _stem;
    private readonly string _name;
    private readonly ILogger _logger;

    public RunHistoryFile(string directory, string stem, string name, ILogger logger)
    {
        _directory = directory;
        _stem = stem;
        _name = name;
        _logger = logger;
        Path = System.IO.Path.Combine(directory, stem + Suffix);
    }

    /// <summary>The history file.</summary>
    public string Path { get; }

    public async ValueTask AppendAsync(AutomationRunRecord record, int keep, TimeSpan? maxAge, CancellationToken cancellationToken)
    {
        if (keep == 0)
        {
            // Keep none: whatever an earlier setting kept goes too (and a missing folder is not created).
            Delete();
            return;
        }

        Directory.CreateDirectory(_directory);
        var line = JsonSerializer.SerializeToUtf8Bytes(record, AutomationHistoryJsonContext.Default.AutomationRunRecord);
        // Damaged lines are reported by reads, not again at every run's append.
        var history = await ReadFileAsync(report: false, cancellationToken).ConfigureAwait(false);
        var cutoff = record.FinishedAt - maxAge;
        var expired = cutoff is { } oldest && history.Records.Count > 0 && history.Records[0].FinishedAt < oldest;
        if (history.Records.Count >= keep || expired)
        {
            var kept = history.Records.Where(r => cutoff is not { } oldest || r.FinishedAt >= oldest).TakeLast(keep - 1).Append(record);
            await ReplaceAsync(kept, cancellationToken).ConfigureAwait(false);
            return;
        }

        await using var file = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read | FileShare.Delete, 4096, useAsync: true);
        if (file.Length != history.WholeLength)
        {
            // A line a crash cut off: it never was a record, and appending after it would glue the next record to it.
            file.SetLength(history.WholeLength);
        }

        file.Seek(0, SeekOrigin.End);
        await file.WriteAsync(line, cancellationToken).ConfigureAwait(false);
        await file.WriteAsync(new[] { NewLine }, cancellationToken).ConfigureAwait(false);
        // Durable before the run is reported: a reader told of the run finds it after a power cut too.
        file.Flush(flushToDisk: true);
    }

    /// <summary>Every record, oldest first (lines that are not records are skipped and logged).</summary>
    public async ValueTask<IReadOnlyList<AutomationRunRecord>> ReadAsync(CancellationToken cancellationToken) =>
        (await ReadFileAsync(report: true, cancellationToken).ConfigureAwait(false)).Records;

    /// <summary>Removes the history; true when there was one.</summary>
    public bool Delete()
    {
        if (!File.Exists(Path))
        {
            return false;
        }

        File.Delete(Path);
        return true;
    }

    public bool Exists => File.Exists(Path);

    private async ValueTask<History> ReadFileAsync(bool report, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            await using var file = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096, useAsync: true);
            bytes = new byte[file.Length];
            await file.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return new History([], 0);
        }

        // Only lines ending in a newline were written whole; what follows the last newline is a cut-off append.
        var wholeLength = bytes.AsSpan().LastIndexOf(NewLine) + 1;
        var records = new List<AutomationRunRecord>();
        var rest = bytes.AsMemory(0, wholeLength);
        var number = 0;
        while (!rest.IsEmpty)
        {
            var end = rest.Span.IndexOf(NewLine);
            var line = rest[..end];
            rest = rest[(end + 1)..];
            number++;
            if (line.Span.Trim((byte)'\r').IsEmpty)
            {
                continue;
            }

            if (Parse(line.Span, out var problem) is { } record)
            {
                records.Add(record);
            }
            else if (report)
            {
                // One damaged line (a hand edit, a disk error) must not hide the runs around it.
                AutomationLog.HistoryLineSkipped(_logger, _name, number, Path, problem!);
            }
        }

        return new History(records, wholeLength);
    }

    private AutomationRunRecord? Parse(ReadOnlySpan<byte> line, out string? problem)
    {
        AutomationRunRecord? record;
        try
        {
            record = JsonSerializer.Deserialize(line, AutomationHistoryJsonContext.Default.AutomationRunRecord);
        }
        catch (JsonException ex)
        {
            problem = ex.Message;
            return null;
        }

        problem = record is null ? "it is null"
            : record.Automation != _name ? $"its automation is '{record.Automation}'"
            : record.Number < 1 ? $"its number is {record.Number}"
            : !Enum.IsDefined(record.Outcome) ? $"its outcome is {(int)record.Outcome}"
            : null;
        return problem is null ? record : null;
    }

    private async ValueTask ReplaceAsync(IEnumerable<AutomationRunRecord> records, CancellationToken cancellationToken)
    {
        var temporary = System.IO.Path.Combine(_directory, $".{_stem}.runs.{Guid.NewGuid():N}.tmp");
        await AtomicReplace.WriteAsync(
            Path,
            temporary,
            async (file, token) =>
            {
                foreach (var record in records)
                {
                    await file.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(record, AutomationHistoryJsonContext.Default.AutomationRunRecord), token).ConfigureAwait(false);
                    await file.WriteAsync(new[] { NewLine }, token).ConfigureAwait(false);
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <param name="Records">The whole, valid records, oldest first.</param>
    /// <param name="WholeLength">The bytes up to and including the last newline: the file without a cut-off last line.</param>
    private sealed record History(IReadOnlyList<AutomationRunRecord> Records, long WholeLength);
}
