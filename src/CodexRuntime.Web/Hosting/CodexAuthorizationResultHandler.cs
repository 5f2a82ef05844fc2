using System.Diagnostics;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace CodexRuntime.Web.Hosting;

/// <summary>
/// Makes the authorization middleware's 401 and 403 on the Codex endpoints ProblemDetails: the app's handler (the
/// default one unless the app registered its own before <c>AddWeb</c>) runs first, so the authentication scheme still
/// challenges or forbids its way (WWW-Authenticate, a cookie scheme's redirect); when that left a bare 401 or 403
/// with nothing written, the body is written through <see cref="IProblemDetailsService"/>. Every other endpoint of
/// the app is passed to the app's handler untouched.
/// </summary>
internal sealed class CodexAuthorizationResultHandler(IAuthorizationMiddlewareResultHandler inner) : IAuthorizationMiddlewareResultHandler
{
    /// <inheritdoc />
    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        await inner.HandleAsync(next, context, policy, authorizeResult).ConfigureAwait(false);
        if (authorizeResult.Succeeded
            || context.GetEndpoint()?.Metadata.GetMetadata<CodexEndpointMetadata>() is null
            || context.Response.HasStarted
            || context.Response.StatusCode is not (StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden))
        {
            return;
        }

        var unauthorized = context.Response.StatusCode == StatusCodes.Status401Unauthorized;
        var problem = new ProblemDetails
        {
            Status = context.Response.StatusCode,
            Title = unauthorized ? "NotAuthenticated" : "Forbidden",
            Detail = unauthorized ? "Sign in: every Codex endpoint needs an authenticated user." : "You are signed in but not allowed to use Codex here; ask the site's operator for access.",
        };
        problem.Extensions["traceId"] = Activity.Current?.Id ?? context.TraceIdentifier;
        if (context.RequestServices.GetService(typeof(IProblemDetailsService)) is not IProblemDetailsService problems
            || !await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }).ConfigureAwait(false))
        {
            await Results.Problem(problem).ExecuteAsync(context).ConfigureAwait(false);
        }
    }
}
