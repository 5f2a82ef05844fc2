using System.Text.Json;

namespace CodexRuntime.Web;

/// <summary>
/// What the AG-UI endpoint (<c>MapCodexAGUI</c>) does with a run, and nothing else: the seam between HTTP and where an
/// AG-UI thread lives. <c>AddWeb</c> registers <see cref="WebAgUiRuns"/> (every thread in this process's
/// <see cref="WebAdapter"/>); a scale-out package registers one that runs each thread where it lives
/// (<c>CodexRuntime.Orleans</c>). Threads are kept per tenant: another tenant's <c>threadId</c> is an unknown thread.
/// </summary>
public interface ICodexAgUiRuns
{
    /// <summary>
    /// Decides and starts what the run does (a new turn, answers to interrupts and client tool calls, or re-attaching),
    /// then returns its AG-UI events. Every refusal is thrown before the events are returned, so the endpoint answers
    /// it as a ProblemDetails and nothing of the run reached codex.
    /// </summary>
    /// <param name="tenant">The authenticated tenant.</param>
    /// <param name="threadId">The body's <c>threadId</c>.</param>
    /// <param name="body">The run's AG-UI <c>RunAgentInput</c>, as the endpoint read and checked it.</param>
    /// <param name="traceId">The request's trace id, logged with a failure and quoted in a <c>RUN_ERROR</c>.</param>
    /// <param name="cancellationToken">The client going away: abandons the decision, ends the events (never the turn).</param>
    /// <returns>The run's AG-UI events, each one JSON object (an SSE <c>data</c> line): <c>RUN_STARTED</c> first.</returns>
    /// <exception cref="CodexWebException">The run is refused (its kind is the status code).</exception>
    Task<IAsyncEnumerable<string>> RunAsync(string tenant, string threadId, JsonElement body, string traceId, CancellationToken cancellationToken = default);
}
