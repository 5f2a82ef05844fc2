using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Serialization;

namespace CodexRuntime.Artifact.Storage;

/// <summary>
/// Who holds an artifact's lock: process id plus that process's start time (a pid alone is reused by the OS, and a
/// reused pid would keep a dead owner's lock forever), the machine, and a nonce that tells this holder's lock apart.
/// </summary>
internal sealed record LockOwner(
    [property: JsonPropertyName("pid")] int ProcessId,
    [property: JsonPropertyName("startTime")] string? StartTime,
    [property: JsonPropertyName("host")] string? Host,
    [property: JsonPropertyName("nonce")] string? Nonce)
{
    private static readonly Lazy<string> OwnStart = new(() => StartTimeOf(Environment.ProcessId) ?? "unknown");

    /// <summary>This process, with a fresh nonce.</summary>
    public static LockOwner Current() => new(Environment.ProcessId, OwnStart.Value, Environment.MachineName, Guid.NewGuid().ToString("N"));

    /// <summary>
    /// False only when the owner is known to be gone: no process with its pid, one that started at another time, or a
    /// zombie. An owner on another machine cannot be checked and counts as alive (its lock times out instead); an owner
    /// that names no start time (a pid-only lock file) counts as alive while its pid runs.
    /// </summary>
    public bool IsAlive()
    {
        if (Host is { Length: > 0 } && !string.Equals(Host, Environment.MachineName, StringComparison.Ordinal))
        {
            return true;
        }

        var running = StartTimeOf(ProcessId);
        return string.IsNullOrEmpty(StartTime) ? running is not null : string.Equals(running, StartTime, StringComparison.Ordinal);
    }

    /// <summary>The owner in a lock file: our JSON, or a bare pid (what pid-only lockers write); null when it is neither.</summary>
    public static LockOwner? Parse(byte[] content)
    {
        if (content.Length == 0)
        {
            return null;
        }

        if (int.TryParse(System.Text.Encoding.UTF8.GetString(content).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return new LockOwner(pid, null, null, null);
        }

        try
        {
            return System.Text.Json.JsonSerializer.Deserialize(content, StorageJsonContext.Default.LockOwner) is { ProcessId: > 0 } owner ? owner : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    public override string ToString() => $"pid {ProcessId} (started {StartTime ?? "at an unknown time"}) on {Host ?? "this machine"}";

    /// <summary>
    /// A process's start time as a stable string: on Linux the start tick from <c>/proc/&lt;pid&gt;/stat</c> (exact, no
    /// clock arithmetic), elsewhere <see cref="Process.StartTime"/> in UTC ticks. Null when there is no such live process.
    /// </summary>
    internal static string? StartTimeOf(int processId)
    {
        if (OperatingSystem.IsLinux())
        {
            string stat;
            try
            {
                stat = File.ReadAllText($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/stat");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return null;
            }

            // "pid (comm) state ... starttime ...": comm may hold spaces and ')', so fields are counted after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 20 || fields[0] is "Z" or "X" or "x")
            {
                return null;
            }

            return fields[19];
        }

        try
        {
            using var process = Process.GetProcessById(processId);
            return process.HasExited ? null : process.StartTime.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return null;
        }
    }
}
