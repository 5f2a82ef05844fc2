using System.Globalization;
using System.Text;

namespace CodexRuntime.Automation;

/// <summary>
/// What a usable automation name is: not blank, valid Unicode (no unpaired surrogate) and at most
/// <see cref="AutomationOptions.MaxNameLength"/> UTF-16 code units. Checked before anything is written, because a name
/// keys the state store: two names that differ only in an invalid code unit would otherwise share a checkpoint.
/// </summary>
internal static class AutomationName
{
    /// <summary>Why <paramref name="name"/> cannot name an automation, or null when it can.</summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "it is empty; name the automation (its key in the state store and its tag in metrics)";
        }

        if (name.Length > AutomationOptions.MaxNameLength)
        {
            return string.Create(CultureInfo.InvariantCulture, $"it is {name.Length} characters long; the longest name is {AutomationOptions.MaxNameLength} (UTF-16 code units)");
        }

        for (var index = 0; index < name.Length;)
        {
            if (Rune.DecodeFromUtf16(name.AsSpan(index), out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                // A lone surrogate has no UTF-8 form: it would be written as U+FFFD and collide with the name that has one.
                return string.Create(CultureInfo.InvariantCulture, $"it has an unpaired surrogate (U+{(int)name[index]:X4} at index {index}); a name must be valid Unicode");
            }

            index += consumed;
        }

        return null;
    }

    /// <summary>Throws <see cref="ArgumentException"/> saying what is wrong with <paramref name="name"/>, read from <paramref name="source"/>.</summary>
    public static void Validate(string? name, string source, string parameterName)
    {
        if (Problem(name) is { } problem)
        {
            throw new ArgumentException($"{source} is not a usable automation name: {problem}.", parameterName);
        }
    }
}
