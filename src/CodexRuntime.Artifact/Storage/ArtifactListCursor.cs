using System.Buffers.Text;
using System.Text;

namespace CodexRuntime.Artifact.Storage;

/// <summary>
/// The continuation token of a listing: a version prefix and the last id considered, base64url (UTF-8). Ids are valid
/// Unicode (<see cref="ArtifactIds"/>), so the id survives the trip exactly; a cursor by id rather than by position is
/// what keeps paging from skipping or repeating while artifacts are added or removed.
/// </summary>
internal static class ArtifactListCursor
{
    private const string Prefix = "a1.";

    public static string Encode(string lastId) => Prefix + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(lastId));

    public static string Decode(string token)
    {
        if (token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            try
            {
                var id = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Base64Url.DecodeFromChars(token.AsSpan(Prefix.Length)));
                if (id.Length > 0)
                {
                    return id;
                }
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException)
            {
                // Falls through to the one message below.
            }
        }

        throw new ArgumentException("The continuation token is not one a listing of this store returned; pass null for the first page, then each page's ContinuationToken.", "continuationToken");
    }
}
