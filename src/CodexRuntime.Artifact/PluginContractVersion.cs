using System.Globalization;

namespace CodexRuntime.Artifact;

/// <summary>
/// The version of the contract between the artifact package and the code that drives it (a plugin built for one
/// contract). Versions are compatible when their majors match; minors only add.
/// </summary>
/// <param name="Major">Changes that break callers.</param>
/// <param name="Minor">Additions.</param>
public readonly record struct PluginContractVersion(int Major, int Minor)
{
    /// <summary>The contract this package implements: 1.0.</summary>
    public static PluginContractVersion Current { get; } = new(1, 0);

    /// <summary>Whether a plugin built for this version works with one that implements <paramref name="other"/>: the majors match.</summary>
    /// <param name="other">The other version.</param>
    /// <returns>True when compatible.</returns>
    public bool IsCompatibleWith(PluginContractVersion other) => Major == other.Major;

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}");
}
