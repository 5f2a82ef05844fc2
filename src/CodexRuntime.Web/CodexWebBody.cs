using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace CodexRuntime.Web;

/// <summary>
/// Reads a request body for the Codex endpoints: only <c>application/json</c> (UTF-8), at most
/// <see cref="MaxBytes"/> whether the client sent a Content-Length or chunks, into a pooled buffer that never grows
/// past the cap, then parsed as one JSON value. Every refusal is a <see cref="CodexWebException"/>.
/// </summary>
internal static class CodexWebBody
{
    /// <summary>The cap on a body (1 MiB): the largest prompt is 32 KiB by default, attachments are data URLs.</summary>
    public const int MaxBytes = 1024 * 1024;

    private const int FirstBufferBytes = 16 * 1024;

    /// <summary>The body as JSON, or a 400 / 413 / 415 refusal naming the problem.</summary>
    public static async Task<JsonElement> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var canHaveBody = request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? request.ContentLength is > 0;
        if (request.ContentType is null && !canHaveBody)
        {
            throw new CodexWebException(CodexWebErrorKind.InvalidRequest, "The body is missing: send a JSON object with Content-Type: application/json.", "$");
        }

        RequireJson(request.ContentType);
        if (request.ContentLength > MaxBytes)
        {
            throw TooLarge();
        }

        // Grown by doubling up to the cap + 1: one byte past the cap proves the body is too large without reading on.
        var buffer = ArrayPool<byte>.Shared.Rent(FirstBufferBytes);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, MaxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
                    buffer = larger;
                }

                var window = Math.Min(buffer.Length, MaxBytes + 1) - length;
                var read = await request.Body.ReadAsync(buffer.AsMemory(length, window), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > MaxBytes)
                {
                    throw TooLarge();
                }
            }

            if (length == 0)
            {
                throw new CodexWebException(CodexWebErrorKind.InvalidRequest, "The body is empty: send a JSON object.", "$");
            }

            using var document = JsonDocument.Parse(buffer.AsMemory(0, length));
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new CodexWebException(CodexWebErrorKind.InvalidRequest, $"The body is not JSON (or not UTF-8): {ex.Message}", "$");
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel's own refusals while reading (a bad chunk, its MaxRequestBodySize): the client's fault, said as such.
            throw ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? TooLarge()
                : new CodexWebException(CodexWebErrorKind.InvalidRequest, "The body could not be read (malformed chunked encoding or a cut-off request); send it again.", ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }

    /// <summary>
    /// Only JSON, so a web page cannot post here with a CORS "simple" request (text/plain, forms) that skips the
    /// preflight; a charset other than UTF-8 is refused too (the body is read as UTF-8).
    /// </summary>
    private static void RequireJson(string? contentType)
    {
        if (contentType is not null
            && MediaTypeHeaderValue.TryParse(contentType, out var type)
            && type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            && (type.Charset.Length == 0 || type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || type.Charset.Equals("utf8", StringComparison.OrdinalIgnoreCase)))
        {
            return;
        }

        throw new CodexWebException(
            CodexWebErrorKind.UnsupportedMediaType,
            contentType is null
                ? "The body has no Content-Type; send it as Content-Type: application/json."
                : $"The body is '{Printable(contentType)}'; send JSON as Content-Type: application/json (UTF-8).",
            "Content-Type");
    }

    private static string Printable(string value) =>
        value.Length <= 100 && value.All(c => c is >= ' ' and <= '~') ? value : "an unsupported media type";

    private static CodexWebException TooLarge() =>
        new(CodexWebErrorKind.BodyTooLarge, $"The body is over {MaxBytes:N0} bytes, the most these endpoints take; send a shorter prompt or fewer attachments.");
}
