using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CodexRuntime.Web.Hosting;

/// <summary>
/// <c>app.MapCodexRuntime("/codex")</c>: REST for sessions, turns, interrupt, close, state and approvals, and
/// Server-Sent Events for a session's events and its approvals. Every error is an RFC 9457 ProblemDetails.
/// </summary>
public static class CodexWebEndpoints
{
    private const long MaxBodyBytes = 1024 * 1024;

    /// <summary>Maps the endpoints under <paramref name="prefix"/> and returns the group, for the app's own policies.</summary>
    /// <param name="endpoints">The app.</param>
    /// <param name="prefix">The route prefix, e.g. <c>/codex</c>.</param>
    /// <returns>The route group.</returns>
    public static RouteGroupBuilder MapCodexRuntime(this IEndpointRouteBuilder endpoints, string prefix = "/codex")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup(prefix);
        if (endpoints.ServiceProvider.GetRequiredService<IOptions<CodexWebOptions>>().Value.RequireAuthorization)
        {
            group.RequireAuthorization();
        }

        group.MapPost("/sessions", (HttpContext http, WebAdapter web, ICodexTenantResolver tenants) =>
            Run(http, tenants, async tenant =>
            {
                var info = await web.CreateSessionAsync(tenant, await BodyAsync(http), http.RequestAborted);
                http.Response.Headers.Location = $"{prefix}/sessions/{info.SessionId}";
                return (IResult)TypedResults.Json(info, WebJsonContext.Default.WebSessionInfo, statusCode: 201);
            }));
        group.MapGet("/sessions/{sessionId}", (HttpContext http, string sessionId, WebAdapter web, ICodexTenantResolver tenants) =>
            Run(http, tenants, tenant => Task.FromResult<IResult>(TypedResults.Json(web.GetSessionState(tenant, sessionId), WebJsonContext.Default.WebSessionState))));
        group.MapDelete("/sessions/{sessionId}", (HttpContext http, string sessionId, WebAdapter web, ICodexTenantResolver tenants) =>
            Run(http, tenants, async tenant =>
            {
                await web.CloseSessionAsync(tenant, sessionId, http.RequestAborted);
                return (IResult)TypedResults.NoContent();
            }));
        group.MapPost("/sessions/{sessionId}/turns", (HttpContext http, string sessionId, WebAdapter web, ICodexTenantResolver tenants) =>
            Run(http, tenants, async tenant => (IResult)TypedResults.Json(await web.CreateTurnAsync(tenant, sessionId, await BodyAsync(http), http.RequestAborted), WebJsonContext.Default.WebTurnStarted, statusCode: 202)));
        group.MapPost("/sessions/{sessionId}/interrupt", (HttpContext http, string sessionId, WebAdapter web, ICodexTenantResolver tenants) =>
            Run(http, tenants, async tenant =>
            {
                await web.InterruptTurnAsync(tenant, sessionId, http.RequestAborted);
                return (IResult)TypedResults.Accepted((string?)null);
            }));
        group.MapPost("/sessions/{sessionId}/approvals/{approvalId}", (HttpContext http, string sessionId, string approvalId, WebAdapter web, ICodexTenantResolver tenants) =>
            Run(http, tenants, async tenant =>
            {
                await web.AnswerApprovalAsync(tenant, sessionId, approvalId, await BodyAsync(http));
                return (IResult)TypedResults.NoContent();
            }));
        MapStream(group, "/sessions/{sessionId}/events", (web, tenant, sessionId, lastEventId, token) => web.SubscribeEventsAsync(tenant, sessionId, lastEventId, token));
        MapStream(group, "/sessions/{sessionId}/approvals", (web, tenant, sessionId, lastEventId, token) => web.SubscribeApprovalsAsync(tenant, sessionId, lastEventId, token));
        return group;
    }

    /// <summary>An SSE endpoint over one of a session's logs: 404 before the stream starts, then the events with heartbeats.</summary>
    private static void MapStream(RouteGroupBuilder group, string pattern, Func<WebAdapter, string, string, long?, CancellationToken, IAsyncEnumerable<WebEvent>> subscribe) =>
        group.MapGet(pattern, (HttpContext http, string sessionId, WebAdapter web, ICodexTenantResolver tenants, IOptions<CodexWebOptions> options, TimeProvider time, IHostApplicationLifetime host) =>
            Run(http, tenants, tenant =>
            {
                var lastEventId = SessionEventStream.LastEventId(http);
                web.GetSessionState(tenant, sessionId); // 404 now, not after the stream started
                return Task.FromResult<IResult>(new SessionEventStream(token => subscribe(web, tenant, sessionId, lastEventId, token), options.Value.Adapter.HeartbeatInterval, time, host.ApplicationStopping));
            }));

    /// <summary>The request body as JSON (at most 1 MiB); anything else is a 400 naming the problem.</summary>
    private static async Task<JsonElement> BodyAsync(HttpContext http)
    {
        if (http.Request.ContentLength > MaxBodyBytes)
        {
            throw new CodexWebException(CodexWebErrorKind.PromptTooLarge, $"The body is over {MaxBodyBytes:N0} bytes.");
        }

        try
        {
            using var document = await JsonDocument.ParseAsync(http.Request.Body, default, http.RequestAborted);
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new CodexWebException(CodexWebErrorKind.InvalidRequest, $"The body is not JSON: {ex.Message}", "$");
        }
    }

    /// <summary>Resolves the tenant (401 without one) and turns the adapter's refusals into ProblemDetails.</summary>
    private static async Task<IResult> Run(HttpContext http, ICodexTenantResolver tenants, Func<string, Task<IResult>> action)
    {
        var tenant = tenants.Resolve(http);
        if (tenant is null)
        {
            return TypedResults.Problem(statusCode: 401, title: "Not authenticated", detail: "Sign in: every Codex endpoint needs an authenticated user.");
        }

        try
        {
            return await action(tenant);
        }
        catch (CodexWebException ex)
        {
            if (ex.RetryAfter is { } retry)
            {
                http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }

            var extensions = ex.Member is null ? null : new Dictionary<string, object?> { ["member"] = ex.Member };
            return TypedResults.Problem(statusCode: ex.StatusCode, title: ex.Kind.ToString(), detail: ex.Message, extensions: extensions);
        }
        catch (CodexPrivilegedEscalationException ex)
        {
            return TypedResults.Problem(statusCode: 500, title: "Server profile refused", detail: ex.Message);
        }
        catch (CodexThreadNotFoundException ex)
        {
            return TypedResults.Problem(statusCode: 409, title: nameof(CodexWebErrorKind.ThreadConflict), detail: ex.Message);
        }
    }
}
