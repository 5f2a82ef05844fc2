using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace CodexRuntime.Artifact.Storage;

/// <summary>
/// The folder name of an artifact id: a readable part (ASCII letters, digits, '-' and '_' kept, anything else '_',
/// at most 48 characters) plus a hash of the id. The readable part alone can never escape the root (no separator, no
/// dot); the hash makes ids that read alike different folders.
/// </summary>
internal static class ArtifactFolderKey
{
    private const int ReadableLength = 48;

    public static string For(string artifactId)
    {
        ArgumentException.ThrowIfNullOrEmpty(artifactId);
        var readable = new char[Math.Min(artifactId.Length, ReadableLength)];
        for (var i = 0; i < readable.Length; i++)
        {
            var c = artifactId[i];
            readable[i] = char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_';
        }

        // The hash is over the id's UTF-16 code units exactly as given: no normalization (NFC and NFD spellings are
        // different ids) and no encoding step that could map two strings (e.g. lone surrogates) to the same bytes.
        var hash = SHA256.HashData(MemoryMarshal.AsBytes(artifactId.AsSpan()));
        return new string(readable) + "-" + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }
}
