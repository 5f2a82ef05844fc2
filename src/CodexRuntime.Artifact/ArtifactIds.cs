using System.Buffers;
using System.Globalization;
using System.Text;

namespace CodexRuntime.Artifact;

/// <summary>
/// The rule every entry point applies to an artifact id before it reads, writes or starts anything: non-empty and
/// valid Unicode. An unpaired surrogate cannot survive the id's trip through UTF-8 (the meta file stores U+FFFD
/// instead), so such an artifact could be saved once and never read back as itself.
/// </summary>
internal static class ArtifactIds
{
    /// <summary>Throws when the id cannot name an artifact.</summary>
    /// <exception cref="ArgumentException">The id is null or empty.</exception>
    /// <exception cref="ArtifactException">The id holds an unpaired surrogate (<see cref="ArtifactErrorKind.InvalidId"/>).</exception>
    public static void Validate(string artifactId, string? paramName = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(artifactId, paramName ?? nameof(artifactId));
        var rest = artifactId.AsSpan();
        while (!rest.IsEmpty)
        {
            // A lone high surrogate at the very end reads as NeedMoreData: just as unpaired.
            if (Rune.DecodeFromUtf16(rest, out _, out var consumed) != OperationStatus.Done)
            {
                var index = artifactId.Length - rest.Length;
                var unit = ((int)artifactId[index]).ToString("X4", CultureInfo.InvariantCulture);
                throw new ArtifactException(ArtifactErrorKind.InvalidId, artifactId,
                    $"Artifact id '{Escaped(artifactId)}' is not valid Unicode: it has an unpaired surrogate (\\u{unit}) at index {index.ToString(CultureInfo.InvariantCulture)}, which cannot be stored and read back as the same id. Use an id of whole characters (a surrogate only as a high-low pair), e.g. text that came through a UTF-8 or UTF-16 decoder. Nothing was read, written or started.");
            }

            rest = rest[consumed..];
        }
    }

    /// <summary>The id with each unpaired surrogate as <c>\uXXXX</c>, so the message itself is valid text.</summary>
    private static string Escaped(string artifactId)
    {
        var builder = new StringBuilder(artifactId.Length + 8);
        var rest = artifactId.AsSpan();
        while (!rest.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(rest, out _, out var consumed) != OperationStatus.Done)
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)rest[0]:X4}");
            }
            else
            {
                builder.Append(rest[..consumed]);
            }

            rest = rest[consumed..];
        }

        return builder.ToString();
    }
}
