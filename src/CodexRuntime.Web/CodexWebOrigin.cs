using Microsoft.AspNetCore.Http;

namespace CodexRuntime.Web;

/// <summary>
/// The cross-site check of <see cref="CodexWebOptions.RequireSameOrigin"/>: a state-changing request (any method but
/// GET, HEAD, OPTIONS) that carries an <c>Origin</c> header must come from the request's own origin or one of
/// <see cref="CodexWebOptions.AllowedOrigins"/>. Browsers send <c>Origin</c> on every cross-origin request and on
/// same-origin POSTs; other clients (servers, curl) usually send none and pass.
/// </summary>
internal static class CodexWebOrigin
{
    /// <summary>Whether the request may go on.</summary>
    public static bool Allows(HttpRequest request, CodexWebOptions options)
    {
        if (!options.RequireSameOrigin || HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
        {
            return true;
        }

        var origins = request.Headers.Origin;
        if (origins.Count == 0)
        {
            return true;
        }

        // "null" (sandboxed frames, some redirects) and anything unparsable never match.
        if (origins.Count != 1 || !TryParse(origins[0], out var origin))
        {
            return false;
        }

        return (TryParse($"{request.Scheme}://{request.Host.Value}", out var own) && Same(origin, own))
            || options.AllowedOrigins.Any(allowed => TryParse(allowed, out var trusted) && Same(origin, trusted));
    }

    /// <summary>Checks the allow-list at startup: each entry must be an origin, <c>scheme://host[:port]</c>, nothing more.</summary>
    public static IEnumerable<string> Validate(CodexWebOptions options) =>
        options.AllowedOrigins
            .Where(allowed => !TryParse(allowed, out var uri) || uri.PathAndQuery != "/" || uri.Fragment.Length > 0)
            .Select(allowed => $"CodexWebOptions.AllowedOrigins has '{allowed}', which is not an origin; write scheme://host[:port] with no path, e.g. https://app.example.com.");

    private static bool TryParse(string? value, out Uri uri) =>
        Uri.TryCreate(value, UriKind.Absolute, out uri!) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.UserInfo.Length == 0;

    private static bool Same(Uri a, Uri b) =>
        a.Scheme == b.Scheme && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;
}
