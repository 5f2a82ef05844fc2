using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace CodexRuntime.Web;

/// <summary>
/// The AG-UI runs of this process's <see cref="WebAdapter"/>: each thread on one of its sessions. <c>AddWeb</c>
/// registers it as the endpoint's <see cref="ICodexAgUiRuns"/>; a scale-out package calls it on the node where a thread
/// lives.
/// </summary>
public sealed class WebAgUiRuns : ICodexAgUiRuns
{
    private readonly WebAdapter _web;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    /// <summary>Creates the runs over <paramref name="web"/>.</summary>
    /// <param name="web">The adapter whose sessions the threads run on.</param>
    /// <param name="loggers">Where a run's failure is logged (the <c>CodexRuntime.Web</c> category).</param>
    /// <param name="time">The clock of the runs' heartbeats.</param>
    public WebAgUiRuns(WebAdapter web, ILoggerFactory loggers, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(web);
        ArgumentNullException.ThrowIfNull(loggers);
        ArgumentNullException.ThrowIfNull(time);
        (_web, _logger, _time) = (web, loggers.CreateLogger(CodexWebLog.Category), time);
    }

    /// <inheritdoc/>
    public async Task<IAsyncEnumerable<string>> RunAsync(string tenant, string threadId, JsonElement body, string traceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        var input = AgUiInput.Read(body, _web.Options);
        if (!string.Equals(input.ThreadId, threadId, StringComparison.Ordinal))
        {
            throw new ArgumentException("The threadId differs from the body's.", nameof(threadId));
        }

        var runs = new AgUiRuns(_web);
        var plan = await runs.PrepareAsync(tenant, input, cancellationToken).ConfigureAwait(false);
        return runs.StreamAsync(tenant, plan, _logger, traceId, _time, cancellationToken);
    }
}
