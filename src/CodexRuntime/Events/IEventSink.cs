namespace CodexRuntime.Events;

/// <summary>
/// Receives every envelope of a runtime (inbound, outbound and lifecycle), in stream order, for audit, replay or
/// shipping elsewhere. The runtime feeds each sink from its own bounded queue on its own task, so a slow sink never
/// blocks the reader or other subscribers: when its queue is full, envelopes are dropped and counted
/// (<c>SinkDrops</c> in the metrics). A write that throws is logged and counted as a drop; the sink keeps receiving.
/// </summary>
public interface IEventSink : IAsyncDisposable
{
    /// <summary>Writes one envelope. Calls never overlap for one sink.</summary>
    /// <param name="envelope">The envelope.</param>
    /// <param name="cancellationToken">Cancelled when the runtime gives up draining at shutdown.</param>
    /// <returns>A task that completes when the envelope is written (or buffered, per the sink's own flush rule).</returns>
    ValueTask WriteAsync(CodexEnvelope envelope, CancellationToken cancellationToken);

    /// <summary>Makes everything written so far durable. Called when the queue runs empty and at shutdown.</summary>
    /// <param name="cancellationToken">Cancelled when the runtime gives up draining at shutdown.</param>
    /// <returns>A task that completes when flushed.</returns>
    ValueTask FlushAsync(CancellationToken cancellationToken);
}
