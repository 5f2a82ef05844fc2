using System.Text.Json;

namespace CodexRuntime.Automation;

/// <summary>
/// Reads a checkpoint file and checks every field: present (the store always writes all of them, nulls included), of
/// its type, and consistent (a count is not negative, a waiting or running automation has a due time). A file that
/// fails any check is an <see cref="InvalidDataException"/> naming the file and the field, never a fresh start:
/// defaulting a missing count to 0 would let the automation run its <see cref="AutomationSpec.MaxRuns"/> again. The
/// fields added later (<c>paused</c>, <c>skipsPending</c>, <c>failedAttempts</c>, <c>retryAt</c>, <c>runNowAt</c>) may be
/// missing (an older file) and then take their defaults; present, they are checked like the others.
/// </summary>
internal static class CheckpointReader
{
    public static async ValueTask<AutomationCheckpoint> ReadAsync(Stream file, string path, string name, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(file, default, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            // Atomic saves never leave a torn file, so this one was edited or written by something else: say which.
            throw Damaged(path, name, $"it is not valid JSON ({ex.Message})", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Damaged(path, name, $"it is not a JSON object but {root.ValueKind}");
            }

            var fields = new Fields(root, path, name);
            var storedName = fields.String("name", nullable: false)!;
            if (storedName != name)
            {
                // Another automation's file (copied, renamed, or a case-insensitive file system folding two names together).
                throw Damaged(path, name, $"field 'name' is '{storedName}', not '{name}'");
            }

            var runsCompleted = fields.Count("runsCompleted");
            var nextDueAt = fields.Time("nextDueAt");
            var checkpoint = new AutomationCheckpoint(
                storedName,
                fields.String("threadId", nullable: true),
                runsCompleted,
                nextDueAt,
                fields.Time("anchor"),
                fields.Time("lastStartedAt"),
                fields.Time("lastFinishedAt"),
                fields.State("state"),
                fields.String("lastError", nullable: true),
                // Added with pause, skip, retry and run-now: a file written before them lacks them and loads with the
                // defaults (nothing paused, skipped, failed or requested), which is exactly what it meant.
                fields.OptionalFlag("paused"),
                fields.OptionalCount("skipsPending"),
                fields.OptionalCount("failedAttempts"),
                fields.OptionalTime("retryAt"),
                fields.OptionalTime("runNowAt"));
            if (nextDueAt is null && checkpoint.State is AutomationState.Waiting or AutomationState.Running or AutomationState.Paused)
            {
                // Only an automation that ended may have no due time; reading null as "start afresh" would repeat runs.
                throw Damaged(path, name, $"field 'nextDueAt' is null while field 'state' is {checkpoint.State} (a waiting or running automation always has a due time)");
            }

            return checkpoint;
        }
    }

    /// <summary>
    /// The name a checkpoint file records, for listing a folder without knowing its names: null when the file is not a
    /// JSON object with a usable name (the full check then reports it as damaged).
    /// </summary>
    public static string? StoredName(ReadOnlyMemory<byte> file)
    {
        try
        {
            using var document = JsonDocument.Parse(file);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("name", out var value)
                && value.ValueKind == JsonValueKind.String
                && value.GetString() is { } name
                && AutomationName.Problem(name) is null
                    ? name
                    : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Not JSON, or a string .NET cannot decode (a lone surrogate escape): no usable name.
            return null;
        }
    }

    private static InvalidDataException Damaged(string path, string name, string what, Exception? inner = null) =>
        new($"The automation checkpoint {path} is damaged: {what}. The automation '{name}' does not run until the file is fixed, or deleted (which forgets its runs and starts it afresh).", inner);

    /// <summary>Typed access to the root object's fields, each failure naming the field.</summary>
    private readonly struct Fields(JsonElement root, string path, string name)
    {
        public string? String(string field, bool nullable)
        {
            var value = Get(field);
            return value.ValueKind switch
            {
                JsonValueKind.String when value.GetString() is { Length: > 0 } text => text,
                JsonValueKind.Null when nullable => null,
                _ => throw Wrong(field, value, nullable ? "a string or null" : "a non-empty string"),
            };
        }

        public int Count(string field)
        {
            var value = Get(field);
            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var count) && count >= 0)
            {
                return count;
            }

            throw Wrong(field, value, "a whole number from 0 to 2147483647");
        }

        public DateTimeOffset? Time(string field)
        {
            var value = Get(field);
            return value.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.String when value.TryGetDateTimeOffset(out var time) => time,
                _ => throw Wrong(field, value, "an ISO 8601 time or null"),
            };
        }

        public bool OptionalFlag(string field)
        {
            if (!root.TryGetProperty(field, out var value))
            {
                return false;
            }

            return value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw Wrong(field, value, "true or false"),
            };
        }

        public int OptionalCount(string field) => root.TryGetProperty(field, out _) ? Count(field) : 0;

        public DateTimeOffset? OptionalTime(string field) => root.TryGetProperty(field, out _) ? Time(field) : null;

        public AutomationState State(string field)
        {
            var value = Get(field);
            // One of the names exactly (any case, as the JSON enum converter reads them): Enum.TryParse would also take
            // numbers and comma-separated combinations, which can land on a defined value by accident.
            if (value.ValueKind == JsonValueKind.String
                && Enum.GetNames<AutomationState>().FirstOrDefault(n => string.Equals(n, value.GetString(), StringComparison.OrdinalIgnoreCase)) is { } known)
            {
                return Enum.Parse<AutomationState>(known);
            }

            throw Wrong(field, value, $"one of {string.Join(", ", Enum.GetNames<AutomationState>())}");
        }

        private JsonElement Get(string field) =>
            root.TryGetProperty(field, out var value) ? value : throw Damaged(path, name, $"field '{field}' is missing");

        private InvalidDataException Wrong(string field, JsonElement value, string expected)
        {
            var shown = value.GetRawText();
            return Damaged(path, name, $"field '{field}' is {(shown.Length > 80 ? shown[..80] + "..." : shown)}, not {expected}");
        }
    }
}
