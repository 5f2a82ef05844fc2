using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace WebChat;

/// <summary>
/// The sample's sign-in: a request from this machine (loopback connection), naming this machine in its <c>Host</c>, and
/// not sent by another site (no <c>Origin</c>, or this page's own) is the user "local" (<see cref="LocalOnly.IsLocalUser"/>);
/// any other is anonymous and gets 401 from the Codex endpoints. Loopback alone is not enough: every web page you open
/// runs on this machine too. A real app puts its own authentication here.
/// </summary>
public sealed class LoopbackUser(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme name.</summary>
    public const string SchemeName = "Loopback";

    /// <inheritdoc />
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!LocalOnly.IsLocalUser(Context))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "local"), new Claim(ClaimTypes.Name, "local")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
