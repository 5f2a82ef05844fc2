using System.Diagnostics;
using System.Globalization;
using CodexRuntime.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CodexRuntime.Web;

/// <summary>
/// <c>app.MapCodexRuntime("/codex")</c>: REST for sessions, turns, interrupt, close, state and approvals, and
/// Server-Sent Events for a session's events and its approvals. Every refusal is an RFC 9457 ProblemDetails with a
/// <c>traceId</c>; the developer-facing detail goes to the log (category <c>CodexRuntime.Web</c>) under that id.
/// </summary>
public static class CodexWebEndpoints
{
    /// <summary>Maps the endpoints under <paramref name="prefix"/> and returns the group, for the app's own policies.</summary>
    /// <param name="endpoints">The app.</param>
    /// <param name="prefix">The route prefix, e.g. <c>/codex</c>.</param>
    /// <returns>The route group.</returns>
    /// <exception cref="InvalidOperationException"><see cref="CodexWebOptions.AllowedOrigins"/> has an entry that is not an origin.</exception>
    public static RouteGroupBuilder MapCodexRuntime(this IEndpointRouteBuilder endpoints, string prefix = "/codex")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = Group(endpoints, prefix, "Codex");
        group.MapPost("/sessions", (HttpContext http, ICodexWebSessions web, ICodexTenantResolver tenants) =>
            Run(http, tenants, async tenant =>
            {
                var info = await web.CreateSessionAsync(tenant, await CodexWebBody.ReadAsync(http.Request, http.RequestAborted), http.RequestAborted);
                http.Response.Headers.Location = $"{prefix}/sessions/{info.SessionId}";
                return (IResult)TypedResults.Json(info, WebJsonContext.Default.WebSessionInfo, statusCode: 201);
            }))
            .WithName("CodexCreateSession").WithSummary("Opens a session: a new codex thread, or one of your earlier threads of the same artifact.")
            .WithMetadata(new CodexJsonBodyMetadata(typeof(WebSessionRequest))).Produces<WebSessionInfo>(201).Problems(400, 401, 403, 409, 413, 415, 429);
        group.MapGet("/sessions/{sessionId}", (HttpContext http, string sessionId, ICodexWebSessions web, ICodexTenantResolver tenants) =>
            Run(http, tenants, async tenant => (IResult)TypedResults.Json(await web.GetSessionStateAsync(tenant, sessionId, http.RequestAborted), WebJsonContext.Default.WebSessionState)))
            .WithName("CodexGetSession").WithSummary("The session's state: turns, pending approvals and the last event id to stream from.")
            .Produces<WebSessionState>(200).Problems(401, 403, 404);
        group.MapDelete("/sessions/{sessionId}", (HttpContext http, string sessionId, ICodexWebSessions web, ICodexTenantResolver tenants) =>
            Run(http, tenants, async tenant =>
            {
                await web.CloseSessionAsync(tenant, sessionId, http.RequestAborted);
                return (IResult)TypedResults.NoContent();
            }))
            .WithName("CodexCloseSession").WithSummary("Closes the session: interrupts its turn and archives its thread.")
            .Produces(204).Problems(401, 403, 404, 409);
        group.MapPost("/sessions/{sessionId}/turns", (HttpContext http, string sessionId, ICodexWebSessions web, ICodexTenantResolver tenants) =>
            Run(http, tenants, async tenant => (IResult)TypedResults.Json(await web.CreateTurnAsync(tenant, sessionId, await CodexWebBody.ReadAsync(http.Request, http.RequestAborted), http.RequestAborted), WebJsonContext.Default.WebTurnStarted, statusCode: 202)))
            .WithName("CodexStartTurn").WithSummary("Starts a turn; its events follow on the session's event stream.")
            .WithMetadata(new CodexJsonBodyMetadata(typeof(WebTurnRequest))).Produces<WebTurnStarted>(202).Problems(400, 401, 403, 404, 409, 413, 415, 429);
        group.MapPost("/sessions/{sessionId}/interrupt", (HttpContext http, string sessionId, ICodexWebSessions web, ICodexTenantResolver tenants) =>
            Run(http, tenants, async tenant =>
            {
                await web.InterruptTurnAsync(tenant, sessionId, http.RequestAborted);
                return (IResult)TypedResults.Accepted((string?)null);
            }))
            .WithName("CodexInterruptTurn").WithSummary("Interrupts the session's running turn, if any.")
            .Produces(202).Problems(401, 403, 404);
        group.MapPost("/sessions/{sessionId}/approvals/{approvalId}", (HttpContext http, string sessionId, string approvalId, ICodexWebSessions web, ICodexTenantResolver tenants) =>
            Run(http, tenants, async tenant =>
            {
                await web.AnswerApprovalAsync(tenant, sessionId, approvalId, await CodexWebBody.ReadAsync(http.Request, http.RequestAborted), http.RequestAborted);
                return (IResult)TypedResults.NoContent();
            }))
            .WithName("CodexAnswerApproval").WithSummary("Answers a pending approval, once: a decision, a result of its kind, or an error.")
            .WithMetadata(new CodexJsonBodyMetadata(typeof(WebApprovalAnswerRequest))).Produces(204).Problems(400, 401, 403, 404, 413, 415);
        MapStream(group, "/sessions/{sessionId}/events", (web, tenant, sessionId, lastEventId, token) => web.SubscribeEventsAsync(tenant, sessionId, lastEventId, token))
            .WithName("CodexSessionEvents").WithSummary("Server-Sent Events: the session's events, resumable with Last-Event-ID or ?lastEventId=.");
        MapStream(group, "/sessions/{sessionId}/approvals", (web, tenant, sessionId, lastEventId, token) => web.SubscribeApprovalsAsync(tenant, sessionId, lastEventId, token))
            .WithName("CodexSessionApprovals").WithSummary("Server-Sent Events: the session's approval and approvalResolved events only.");
        return group;
    }

    /// <summary>
    /// A route group of Codex endpoints (REST or AG-UI): the options checked, marked for the ProblemDetails 401/403,
    /// behind authorization unless the options turn it off.
    /// </summary>
    internal static RouteGroupBuilder Group(IEndpointRouteBuilder endpoints, string prefix, string tag)
    {
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<CodexWebOptions>>().Value;
        var problems = CodexWebOrigin.Validate(options).ToList();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("The web options are invalid:\n- " + string.Join("\n- ", problems));
        }

        var group = endpoints.MapGroup(prefix).WithTags(tag).WithMetadata(CodexEndpointMetadata.Instance);
        if (options.RequireAuthorization)
        {
            group.RequireAuthorization();
        }

        return group;
    }

    /// <summary>
    /// An SSE endpoint over one of a session's logs: 404 before the stream starts, then the events with heartbeats.
    /// The session may live anywhere <see cref="ICodexWebSessions"/> reaches; the writing is paced with this process's
    /// own turns (its local adapter's pacer), since they share this machine.
    /// </summary>
    private static RouteHandlerBuilder MapStream(RouteGroupBuilder group, string pattern, Func<ICodexWebSessions, string, string, long?, CancellationToken, IAsyncEnumerable<WebEvent>> subscribe)
    {
        var endpoint = group.MapGet(pattern, (HttpContext http, string sessionId, ICodexWebSessions web, WebAdapter local, ICodexTenantResolver tenants, IOptions<CodexWebOptions> options, TimeProvider time, IHostApplicationLifetime host) =>
            Run(http, tenants, async tenant =>
            {
                var lastEventId = SessionEventStream.LastEventId(http);
                await web.GetSessionStateAsync(tenant, sessionId, http.RequestAborted); // 404 now, not after the stream started
                return (IResult)new SessionEventStream(token => subscribe(web, tenant, sessionId, lastEventId, token), local.Pacer, options.Value.Adapter.HeartbeatInterval, time, host.ApplicationStopping);
            }));

        // A stream lives as long as the browser keeps it open: an app's request timeout must not cut it.
        endpoint.DisableRequestTimeout();
        return endpoint.Produces<WebEvent>(200, "text/event-stream").Problems(401, 403, 404);
    }

    private static RouteHandlerBuilder Problems(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            builder.ProducesProblem(status);
        }

        return builder;
    }

    /// <summary>
    /// Checks the origin (403) and the tenant (401), runs the action, and turns every refusal and failure into a
    /// ProblemDetails written for the person using the app; nothing escapes to the host as unhandled.
    /// </summary>
    internal static async Task<IResult> Run(HttpContext http, ICodexTenantResolver tenants, Func<string, Task<IResult>> action)
    {
        var traceId = Activity.Current?.Id ?? http.TraceIdentifier;
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(CodexWebLog.Category);
        var options = http.RequestServices.GetRequiredService<IOptions<CodexWebOptions>>().Value;
        if (!CodexWebOrigin.Allows(http.Request, options))
        {
            CodexWebLog.ForeignOrigin(logger, traceId, http.Request.Headers.Origin.ToString());
            return Problem(403, nameof(CodexWebErrorKind.ForeignOrigin), "This request came from a page of another website; send it from this site's own pages.", traceId);
        }

        var tenant = tenants.Resolve(http) ?? options.DevelopmentTenant;
        if (tenant is null)
        {
            // The developer's fix goes to the log; the person using the app is told to sign in.
            CodexWebLog.NoTenant(logger, traceId, tenants.GetType().Name, options.RequireAuthorization);
            return Problem(401, "NotAuthenticated", "Sign in: every Codex endpoint needs an authenticated user.", traceId);
        }

        try
        {
            return await action(tenant);
        }
        catch (CodexWebException ex)
        {
            CodexWebLog.Refused(logger, ex.InnerException, ex.Kind, traceId, ex.Message);
            if (ex.RetryAfter is { } retry)
            {
                http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }

            return Problem(ex.StatusCode, ex.Kind.ToString(), ex.Message, traceId, ex.Member);
        }
        catch (CodexThreadNotFoundException ex)
        {
            CodexWebLog.ThreadNotFound(logger, ex, traceId);
            return Problem(409, nameof(CodexWebErrorKind.ThreadConflict), "That conversation is no longer available on the server; start a new session.", traceId, "threadId");
        }
        catch (CodexPrivilegedEscalationException ex)
        {
            CodexWebLog.ProfileRefused(logger, ex, traceId);
            return Problem(500, "ServerMisconfigured", "The server is not set up to run this; tell the site's operator and quote the trace id.", traceId);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            return TypedResults.Empty; // the client went away: nobody reads an answer
        }
        catch (Exception ex)
        {
            // Codex stopped, the connection broke, the host is shutting down: logged once here, never shown raw.
            CodexWebLog.Failed(logger, ex, traceId);
            return Problem(500, "ServerError", "Something went wrong on the server; try again, and quote the trace id if it keeps happening.", traceId);
        }
    }

    private static ProblemHttpResult Problem(int status, string title, string detail, string traceId, string? member = null)
    {
        var extensions = new Dictionary<string, object?> { ["traceId"] = traceId };
        if (member is not null)
        {
            extensions["member"] = member;
        }

        return TypedResults.Problem(statusCode: status, title: title, detail: detail, extensions: extensions);
    }
}
