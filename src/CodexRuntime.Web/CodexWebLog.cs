using Microsoft.Extensions.Logging;

namespace CodexRuntime.Web;

/// <summary>
/// The endpoints' log (category <c>CodexRuntime.Web</c>): the developer-facing detail of what a client was shown in
/// a ProblemDetails, under the trace id the client sees, so a user who quotes it can be helped.
/// </summary>
internal static partial class CodexWebLog
{
    public const string Category = "CodexRuntime.Web";

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Codex request refused ({Kind}, trace {TraceId}): {Detail}")]
    public static partial void Refused(ILogger logger, Exception? cause, CodexWebErrorKind kind, string traceId, string detail);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Codex request failed (trace {TraceId}): codex does not have the thread")]
    public static partial void ThreadNotFound(ILogger logger, Exception exception, string traceId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Codex request failed (trace {TraceId}): the web adapter's RunProfile is refused by the privileged-escalation rule; fix WebAdapterOptions.Profile")]
    public static partial void ProfileRefused(ILogger logger, Exception exception, string traceId);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "Codex request failed (trace {TraceId})")]
    public static partial void Failed(ILogger logger, Exception exception, string traceId);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "Codex request refused (trace {TraceId}): Origin '{Origin}' is neither the request's own nor in CodexWebOptions.AllowedOrigins")]
    public static partial void ForeignOrigin(ILogger logger, string traceId, string origin);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Codex request refused with 401 (trace {TraceId}): {Resolver} found no tenant (RequireAuthorization: {RequireAuthorization}). Sign the user in, register an ICodexTenantResolver that maps this request to a tenant, or on a development machine set CodexWebOptions.DevelopmentTenant")]
    public static partial void NoTenant(ILogger logger, string traceId, string resolver, bool requireAuthorization);
}
