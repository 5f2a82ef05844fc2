using Orleans;

namespace CodexRuntime.Orleans;

/// <summary>
/// One AG-UI thread of one tenant, keyed by both (<see cref="AgUiThreadGrain.Key"/>): its runs, callable from any silo.
/// The body crosses as its UTF-8 JSON bytes (the Web package reads it where the thread lives).
/// </summary>
[Alias("CodexRuntime.Orleans.IAgUiThreadGrain")]
internal interface IAgUiThreadGrain : IGrainWithStringKey
{
    /// <summary>
    /// The run's AG-UI events (<c>ICodexAgUiRuns.RunAsync</c> on this silo): its decision runs in the first pull, so a
    /// refusal (<see cref="SessionRefusedException"/>) comes before the first event.
    /// </summary>
    [Alias("Run")]
    IAsyncEnumerable<string> RunAsync(string tenant, string threadId, byte[] body, string traceId, CancellationToken cancellationToken = default);
}
