using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CodexRuntime.Automation.Persistence;

/// <summary>
/// The file name (without <c>.json</c>) of an automation's checkpoint: the escaped name, or for a long name a readable
/// prefix of it plus a SHA-256 of the name. Every result is ASCII letters, digits, '-', '_', '%' and '~', so it cannot
/// leave the folder, and at most <see cref="MaxLength"/> characters, so the temporary file of a save
/// (<c>.&lt;stem&gt;.json.&lt;32 hex&gt;.tmp</c>) stays within the 255-byte name limit of every common file system.
/// </summary>
internal static class CheckpointFileName
{
    /// <summary>
    /// The longest stem: 255 minus the 43 characters a temporary file adds. Escaped names up to it are used as they
    /// are, which is exactly the set that could be saved before long names were hashed, so those files still load.
    /// </summary>
    public const int MaxLength = 212;

    // '~' never appears in an escaped name, so a hashed stem can never equal an escaped one.
    private const char HashSeparator = '~';
    private const int HashLength = 64;
    private const int PrefixLength = MaxLength - 1 - HashLength;

    // Windows opens a device instead of a file for these stems, whatever the extension (CON.json is the console).
    private static readonly HashSet<string> WindowsDeviceNames = new(
        ["CON", "PRN", "AUX", "NUL", .. Enumerable.Range(0, 10).SelectMany(i => new[] { $"COM{i}", $"LPT{i}" })],
        StringComparer.OrdinalIgnoreCase);

    /// <summary>The stem for <paramref name="name"/> on this OS; the name must be valid Unicode (see <see cref="AutomationName"/>).</summary>
    public static string For(string name) => For(name, OperatingSystem.IsWindows());

    /// <summary>
    /// The stem for <paramref name="name"/>. On Windows a stem that is a device name (<c>CON</c>, <c>nul</c>,
    /// <c>COM1</c>, ...) has its first letter escaped (<c>%43ON</c>): escaping never touches letters otherwise, so no
    /// other name maps there. Elsewhere those names are ordinary files and keep the stem they always had, so no
    /// existing checkpoint moves.
    /// </summary>
    internal static string For(string name, bool windows)
    {
        var escaped = Escape(name);
        if (escaped.Length <= MaxLength)
        {
            return windows && WindowsDeviceNames.Contains(escaped)
                ? string.Create(CultureInfo.InvariantCulture, $"%{(int)escaped[0]:X2}{escaped[1..]}")
                : escaped;
        }

        // Escaping is one-to-one for valid Unicode, and the full SHA-256 of the UTF-8 name separates long names.
        var prefix = escaped[..PrefixLength];
        var cut = prefix.LastIndexOf('%');
        if (cut >= 0 && cut > PrefixLength - 3)
        {
            // Never keep half of a %XX triplet.
            prefix = prefix[..cut];
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(name));
        return prefix + HashSeparator + Convert.ToHexStringLower(hash);
    }

    /// <summary>Letters, digits, '-' and '_' stay; everything else (dots, separators, other characters) becomes <c>%XX</c> per UTF-8 byte.</summary>
    private static string Escape(string name)
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
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
