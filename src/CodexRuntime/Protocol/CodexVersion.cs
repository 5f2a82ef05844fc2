using System.Globalization;
using System.Text.RegularExpressions;

namespace CodexRuntime.Protocol;

/// <summary>A codex version such as 0.169.0, compared by major, minor, patch, then pre-release (a pre-release sorts first).</summary>
/// <param name="Major">Major version.</param>
/// <param name="Minor">Minor version.</param>
/// <param name="Patch">Patch version.</param>
/// <param name="Prerelease">Pre-release label (e.g. <c>alpha.3</c>), or null.</param>
public readonly partial record struct CodexVersion(int Major, int Minor, int Patch, string? Prerelease = null) : IComparable<CodexVersion>
{
    /// <summary>The oldest codex this library supports.</summary>
    public static CodexVersion MinimumSupported { get; } = new(0, 104, 0);

    /// <summary>Parses <c>MAJOR.MINOR.PATCH[-PRERELEASE]</c>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="version">The version, when parsed.</param>
    /// <returns>True when <paramref name="text"/> is a version.</returns>
    public static bool TryParse(string? text, out CodexVersion version)
    {
        version = default;
        var match = text is null ? Match.Empty : VersionPattern().Match(text);
        if (!match.Success || match.Index != 0 || match.Length != text!.Trim().Length)
        {
            return false;
        }

        version = FromMatch(match);
        return true;
    }

    /// <summary>Parses <c>MAJOR.MINOR.PATCH[-PRERELEASE]</c>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The version.</returns>
    /// <exception cref="FormatException"><paramref name="text"/> is not a version.</exception>
    public static CodexVersion Parse(string text) =>
        TryParse(text, out var version) ? version : throw new FormatException($"'{text}' is not a version like 0.169.0.");

    /// <summary>
    /// Reads the server version from the <c>userAgent</c> that <c>initialize</c> returns, e.g.
    /// <c>my_client/0.169.0 (Debian 12; x86_64) xterm (my_client; 1.0)</c>.
    /// </summary>
    /// <param name="userAgent">The user agent.</param>
    /// <param name="version">The version, when found.</param>
    /// <returns>True when a version was found after the first '/'.</returns>
    public static bool TryParseUserAgent(string? userAgent, out CodexVersion version)
    {
        version = default;
        var slash = userAgent?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (slash < 0)
        {
            return false;
        }

        var match = VersionPattern().Match(userAgent!, slash + 1);
        if (!match.Success || match.Index != slash + 1)
        {
            return false;
        }

        version = FromMatch(match);
        return true;
    }

    /// <inheritdoc />
    public int CompareTo(CodexVersion other)
    {
        var result = Major.CompareTo(other.Major);
        if (result == 0)
        {
            result = Minor.CompareTo(other.Minor);
        }

        if (result == 0)
        {
            result = Patch.CompareTo(other.Patch);
        }

        if (result == 0 && Prerelease != other.Prerelease)
        {
            result = Prerelease is null ? 1 : other.Prerelease is null ? -1 : string.CompareOrdinal(Prerelease, other.Prerelease);
        }

        return result;
    }

    /// <summary>Compares two versions.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when left sorts before right.</returns>
    public static bool operator <(CodexVersion left, CodexVersion right) => left.CompareTo(right) < 0;

    /// <summary>Compares two versions.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when left sorts after right.</returns>
    public static bool operator >(CodexVersion left, CodexVersion right) => left.CompareTo(right) > 0;

    /// <summary>Compares two versions.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when left sorts before or equals right.</returns>
    public static bool operator <=(CodexVersion left, CodexVersion right) => left.CompareTo(right) <= 0;

    /// <summary>Compares two versions.</summary>
    /// <param name="left">Left.</param>
    /// <param name="right">Right.</param>
    /// <returns>True when left sorts after or equals right.</returns>
    public static bool operator >=(CodexVersion left, CodexVersion right) => left.CompareTo(right) >= 0;

    /// <inheritdoc />
    public override string ToString() =>
        Prerelease is null
            ? string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{Patch}")
            : string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{Patch}-{Prerelease}");

    private static CodexVersion FromMatch(Match match) => new(
        int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture),
        int.Parse(match.Groups[2].ValueSpan, CultureInfo.InvariantCulture),
        int.Parse(match.Groups[3].ValueSpan, CultureInfo.InvariantCulture),
        match.Groups[4].Success ? match.Groups[4].Value : null);

    [GeneratedRegex(@"(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.\-]+))?")]
    private static partial Regex VersionPattern();
}
