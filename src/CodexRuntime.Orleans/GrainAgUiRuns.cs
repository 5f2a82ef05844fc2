using System.Text.Json;
using System.Text.Json.Nodes;
using CodexRuntime.Web;
using Orleans;
using static CodexRuntime.Orleans.GrainCalls;

namespace CodexRuntime.Orleans;

/// <summary>
/// The AG-UI endpoint's runs over the cluster: each run goes to its thread's grain (keyed by tenant and thread), which
/// runs it on the silo that holds the thread, and its events stream back to the replica the client is connected to.
/// </summary>
internal sealed class GrainAgUiRuns(IGrainFactory grains, OrleansSessionMetrics metrics) : ICodexAgUiRuns
{
    public async Task<IAsyncEnumerable<string>> RunAsync(string tenant, string threadId, JsonElement body, string traceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        ArgumentNullException.ThrowIfNull(threadId);
        var grain = grains.GetGrain<IAgUiThreadGrain>(AgUiThreadGrain.Key(tenant, threadId));
        var reader = grain.RunAsync(tenant, threadId, GrainCalls.Utf8(body), traceId, cancellationToken).GetAsyncEnumerator(cancellationToken);
        bool started;
        try
        {
            // The first pull makes the run's decision on the thread's silo: a refusal comes back here, before the
            // response starts, and the endpoint answers it as a ProblemDetails.
            started = await Refused(reader.MoveNextAsync().AsTask()).ConfigureAwait(false);
        }
        catch
        {
            await DisposeQuietlyAsync(reader).ConfigureAwait(false);
            throw;
        }

        if (!started)
        {
            await DisposeQuietlyAsync(reader).ConfigureAwait(false);
            return AsyncEnumerable.Empty<string>();
        }

        return ReadAsync(reader, started: true, e => e, _ => Lost(traceId), metrics, cancellationToken);
    }

    /// <summary>
    /// The run's last event when the thread's silo went away mid-run: the thread was in that silo's memory, so it is
    /// gone with it (a later run claiming its history is a 404).
    /// </summary>
    private static string Lost(string traceId) => new JsonObject
    {
        ["type"] = "RUN_ERROR",
        ["message"] = "The server running this conversation went away; the conversation ended with it. Start a new one.",
        ["code"] = "serverUnavailable",
        ["traceId"] = traceId,
    }.ToJsonString();
}
