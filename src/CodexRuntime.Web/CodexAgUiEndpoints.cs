using System.Diagnostics;
using System.Text.Json.Nodes;
using CodexRuntime.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CodexRuntime.Web;

/// <summary>
/// <c>app.MapCodexAGUI("/agui")</c>: codex sessions over the Agent–User Interaction protocol (AG-UI 1.0), so any
/// AG-UI front end (the <c>@ag-ui/client</c> <c>HttpAgent</c>, CopilotKit) drives codex. <c>POST</c> takes a
/// <c>RunAgentInput</c> and answers Server-Sent Events of AG-UI events; <c>GET</c> answers the agent's capabilities.
/// It shares the web adapter with <c>MapCodexRuntime</c>: tenants, limits, the narrow input and the
/// ProblemDetails. docs/agui.md has the mapping, interrupts, re-attaching and the limits.
/// </summary>
public static class CodexAgUiEndpoints
{
    /// <summary>Maps the AG-UI endpoint at <paramref name="prefix"/> and returns the group, for the app's own policies.</summary>
    /// <param name="endpoints">The app.</param>
    /// <param name="prefix">The agent's URL, e.g. <c>/agui</c>.</param>
    /// <returns>The route group.</returns>
    /// <exception cref="InvalidOperationException"><see cref="CodexWebOptions.AllowedOrigins"/> has an entry that is not an origin.</exception>
    public static RouteGroupBuilder MapCodexAGUI(this IEndpointRouteBuilder endpoints, string prefix = "/agui")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = CodexWebEndpoints.Group(endpoints, prefix, "Codex AG-UI");
        group.MapPost(string.Empty, (HttpContext http, WebAdapter web, ICodexAgUiRuns runs, ICodexTenantResolver tenants) =>
            CodexWebEndpoints.Run(http, tenants, async tenant =>
            {
                // Checked here, where the request arrived: a body that is refused never reaches where the thread lives.
                var body = await CodexWebBody.ReadAsync(http.Request, http.RequestAborted);
                var input = AgUiInput.Read(body, web.Options);
                var traceId = Activity.Current?.Id ?? http.TraceIdentifier;
                return TypedResults.ServerSentEvents(await runs.RunAsync(tenant, input.ThreadId, body, traceId, http.RequestAborted));
            }))
            .WithName("CodexAgUiRun").WithSummary("Runs the agent (AG-UI RunAgentInput): a new turn, answers to its interrupts, or re-attaching to a run; AG-UI events over SSE.")
            .WithMetadata(new CodexJsonBodyMetadata(typeof(JsonObject))).Produces(200, contentType: "text/event-stream")
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(403).ProducesProblem(404).ProducesProblem(409).ProducesProblem(413).ProducesProblem(415).ProducesProblem(429)
            .DisableRequestTimeout(); // a run lasts as long as its turn
        group.MapGet(string.Empty, (HttpContext http, WebAdapter web, ICodexTenantResolver tenants) =>
            CodexWebEndpoints.Run(http, tenants, _ => Task.FromResult<IResult>(TypedResults.Text(Capabilities(web).ToJsonString(), "application/json"))))
            .WithName("CodexAgUiCapabilities").WithSummary("The agent's AG-UI capabilities (AgentCapabilities).")
            .Produces(200, contentType: "application/json").ProducesProblem(401).ProducesProblem(403);
        return group;
    }

    /// <summary>
    /// AG-UI's <c>AgentCapabilities</c> for this server: what a client may rely on (an omitted field means "not
    /// declared"). Client tools are offered when the codex connection opted in to codex's experimental API.
    /// </summary>
    private static JsonObject Capabilities(WebAdapter web) => new()
    {
        ["identity"] = new JsonObject { ["name"] = "codex", ["type"] = "codex-app-server", ["provider"] = "CodexRuntime", ["description"] = "The codex agent: it reads and changes files and runs commands in the server's workspace, asking for approval through interrupts." },
        ["transport"] = new JsonObject { ["streaming"] = true, ["websocket"] = false, ["httpBinary"] = false, ["pushNotifications"] = false, ["resumable"] = true },
        ["tools"] = new JsonObject { ["supported"] = true, ["clientProvided"] = web.Client.Config.Runtime.Connection.ExperimentalApi, ["parallelCalls"] = false },
        ["output"] = new JsonObject { ["structuredOutput"] = false },
        ["state"] = new JsonObject { ["snapshots"] = true, ["deltas"] = false, ["memory"] = true, ["persistentState"] = false },
        ["multiAgent"] = new JsonObject { ["supported"] = false },
        ["reasoning"] = new JsonObject { ["supported"] = true, ["streaming"] = false, ["encrypted"] = false },
        ["multimodal"] = new JsonObject { ["input"] = new JsonObject { ["image"] = false, ["audio"] = false, ["video"] = false, ["pdf"] = false, ["file"] = false } },
        ["execution"] = new JsonObject { ["codeExecution"] = true, ["maxExecutionTime"] = (long)web.Options.Profile.Timeout.TotalMilliseconds },
        ["humanInTheLoop"] = new JsonObject { ["supported"] = true, ["approvals"] = true, ["interrupts"] = true, ["interventions"] = false, ["feedback"] = false, ["approveWithEdits"] = false },
    };
}
