using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace WebChat;

/// <summary>
/// Keeps the sample for this machine only. Its "user" is whoever reaches it from this machine (<see cref="LoopbackUser"/>),
/// with no password, and that user runs codex — with <c>--real</c>, your model in your current folder — and answers
/// its approvals. Loopback alone does not make that safe: any web page you visit runs on this machine too. So:
/// <list type="bullet">
/// <item>it listens on loopback only (<see cref="RefusalToListen"/>): other machines cannot connect at all;</item>
/// <item>the <c>Host</c> must name this machine at the port the request came in on (<see cref="IsAllowedHost"/>): a
/// page on <c>evil.example</c> whose DNS later answers 127.0.0.1 (DNS rebinding) reaches this port as same-origin for
/// the browser, but its requests still say <c>Host: evil.example</c> — 400;</item>
/// <item>a state-changing request (anything but GET, HEAD, OPTIONS, TRACE) with an <c>Origin</c> other than the page's
/// own is refused (<see cref="IsForeignOrigin"/>): a cross-site page can POST <c>text/plain</c> without a CORS preflight
/// and without reading the answer, which is enough to start a turn — 403;</item>
/// <item>and <see cref="LoopbackUser"/> signs in only a request that passes both checks.</item>
/// </list>
/// These checks stand on their own: they do not rely on the library's own content-type or origin checks (defense in
/// depth). A real app replaces all of this with its own authentication.
/// </summary>
public static class LocalOnly
{
    /// <summary>The names of this machine a page may use, each only with the port the request came in on.</summary>
    private static readonly string[] LoopbackNames = ["127.0.0.1", "localhost", "[::1]"];

    /// <summary>
    /// Why the configured addresses must not be listened on, or null when they are all loopback: each of
    /// <c>urls</c> (<c>--urls</c>, <c>ASPNETCORE_URLS</c>) and <c>Kestrel:Endpoints:*:Url</c> must name 127.0.0.1, [::1]
    /// or localhost. <c>0.0.0.0</c>, <c>[::]</c>, <c>*</c>, <c>+</c> and any other host name listen on every interface.
    /// </summary>
    /// <param name="configuration">The app's configuration, with its command line.</param>
    /// <returns>The message for the console, naming the address and the fix; null to go on.</returns>
    public static string? RefusalToListen(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var urls = (configuration["urls"] ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(endpoint => endpoint["Url"]).OfType<string>());
        foreach (var url in urls)
        {
            BindingAddress address;
            try
            {
                address = BindingAddress.Parse(url);
            }
            catch (FormatException)
            {
                return $"WebChat will not start: '{url}' is not a URL to listen on. Use --urls http://127.0.0.1:5180.";
            }

            if (!IsLoopbackHost(address.Host))
            {
                var fix = $"{address.Scheme}://127.0.0.1:{address.Port}";
                return $"WebChat will not start: {url} listens on {address.Host}, which is not a loopback address, so other " +
                    "machines could reach it, and this sample signs in every request it accepts as you (it runs codex and answers " +
                    $"its approvals). Listen on loopback only: --urls {fix} (or localhost, [::1]). To serve other machines, put " +
                    "your own authentication in front of the Codex endpoints (docs/web.md, Setup).";
            }
        }

        return null;
    }

    /// <summary>
    /// The <c>Host</c> names this machine (127.0.0.1, localhost, [::1]) at the port the request came in on, or at the
    /// local proxy's (<see cref="LocalOnlyOptions.ProxyPort"/>); a missing port means the scheme's default, as browsers
    /// omit it.
    /// </summary>
    /// <param name="context">The request.</param>
    /// <returns>True when the request may be served.</returns>
    public static bool IsAllowedHost(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var host = context.Request.Host;
        if (!host.HasValue || !LoopbackNames.Contains(host.Host, StringComparer.OrdinalIgnoreCase))
        {
            return false;
        }

        var port = host.Port ?? DefaultPort(context.Request.Scheme);
        return port == context.Connection.LocalPort
            || port == context.RequestServices?.GetService<IOptions<LocalOnlyOptions>>()?.Value.ProxyPort;
    }

    /// <summary>
    /// The request carries an <c>Origin</c> that is not this page's own (scheme, host and port of this request; an
    /// opaque <c>null</c> origin is foreign). A request without <c>Origin</c> is not a browser's cross-site request:
    /// browsers send it on every cross-origin request and on every POST or DELETE.
    /// </summary>
    /// <param name="context">The request.</param>
    /// <returns>True when another site (or an opaque origin) sent it.</returns>
    public static bool IsForeignOrigin(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Request.Headers.TryGetValue(HeaderNames.Origin, out var values))
        {
            return false;
        }

        if (values.Count != 1 || !Uri.TryCreate(values[0], UriKind.Absolute, out var origin) || origin.AbsolutePath != "/")
        {
            return true;
        }

        var request = context.Request;
        return !string.Equals(origin.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(origin.Host, request.Host.Host, StringComparison.OrdinalIgnoreCase) // both bracket IPv6: [::1]
            || origin.Port != (request.Host.Port ?? DefaultPort(request.Scheme));
    }

    /// <summary>The request is from this machine, names it, and is not another site's: the sample's "you".</summary>
    /// <param name="context">The request.</param>
    /// <returns>True when <see cref="LoopbackUser"/> may sign it in.</returns>
    public static bool IsLocalUser(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address)
            && IsAllowedHost(context)
            && !IsForeignOrigin(context);
    }

    /// <summary>
    /// Refuses, before anything else runs (static files, authentication, the Codex endpoints): a foreign <c>Host</c>
    /// with 400, and a state-changing request from a foreign <c>Origin</c> with 403, each as a ProblemDetails.
    /// </summary>
    /// <param name="app">The app.</param>
    /// <returns>The app.</returns>
    public static IApplicationBuilder UseLocalOnly(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (!IsAllowedHost(context))
            {
                await Results.Problem(
                    statusCode: StatusCodes.Status400BadRequest,
                    title: "ForeignHost",
                    detail: $"This sample answers only to this machine's names: open http://127.0.0.1:{context.Connection.LocalPort}/ " +
                        $"(or localhost, [::1]), not '{context.Request.Host}'.").ExecuteAsync(context);
                return;
            }

            if (!IsSafeMethod(context.Request.Method) && IsForeignOrigin(context))
            {
                await Results.Problem(
                    statusCode: StatusCodes.Status403Forbidden,
                    title: "ForeignOrigin",
                    detail: $"Only this sample's own page may change its sessions; a request from '{context.Request.Headers.Origin}' is refused.").ExecuteAsync(context);
                return;
            }

            await next(context);
        });

    private static bool IsSafeMethod(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);

    private static bool IsLoopbackHost(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    private static int DefaultPort(string scheme) => string.Equals(scheme, "https", StringComparison.OrdinalIgnoreCase) ? 443 : 80;
}
