using CodexRuntime.Diagnostics;
using Microsoft.Extensions.Logging;

namespace CodexRuntime.Events;

/// <summary>Feeds one <see cref="IEventSink"/> from its own subscription on its own task, and drains it at shutdown.</summary>
internal sealed class EventSinkPump
{
    private readonly IEventSink _sink;
    private readonly CodexEnvelopeSubscription _subscription;
    private readonly CodexRuntimeTelemetry _telemetry;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _abort = new();
    private readonly Task _run;
    private long _failures;

    public EventSinkPump(IEventSink sink, CodexEnvelopeSubscription subscription, CodexRuntimeTelemetry telemetry, TimeProvider time, ILogger logger)
    {
        _sink = sink;
        _subscription = subscription;
        _telemetry = telemetry;
        _time = time;
        _logger = logger;
        _run = Task.Run(RunAsync);
    }

    public long QueueDepth => _subscription.Reader.CanCount ? _subscription.Reader.Count : 0;

    /// <summary>Envelopes lost: queue overflow plus writes that threw.</summary>
    public long Drops => _subscription.DroppedCount + Interlocked.Read(ref _failures);

    /// <summary>
    /// Waits (at most <paramref name="timeout"/>) for the sink to write what is queued — the stream must already be
    /// completed — then flushes and disposes it.
    /// </summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        try
        {
            await _run.WaitAsync(timeout, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Log.SinkDrainTimedOut(_logger, _sink.GetType().Name, timeout.TotalSeconds, QueueDepth);
            await _abort.CancelAsync().ConfigureAwait(false);
            _subscription.Dispose();
        }

        try
        {
            await _sink.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.SinkFailed(_logger, ex, _sink.GetType().Name);
        }
    }

    private async Task RunAsync()
    {
        var reader = _subscription.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_abort.Token).ConfigureAwait(false))
            {
                while (reader.TryRead(out var envelope))
                {
                    try
                    {
                        await _sink.WriteAsync(envelope, _abort.Token).ConfigureAwait(false);
                        _telemetry.SinkWrote(_time.GetUtcNow() - envelope.Timestamp);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        Interlocked.Increment(ref _failures);
                        Log.SinkFailed(_logger, ex, _sink.GetType().Name);
                    }
                }

                // Caught up: make what was written durable before waiting for more.
                await FlushAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            // Shutdown gave up waiting for this sink.
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The subscription ended with an error (overflow in Disconnect mode is not used for sinks); nothing left to write.
            Log.SinkFailed(_logger, ex, _sink.GetType().Name);
        }

        await FlushAsync().ConfigureAwait(false);
    }

    private async Task FlushAsync()
    {
        try
        {
            await _sink.FlushAsync(_abort.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            if (!_abort.IsCancellationRequested)
            {
                Log.SinkFailed(_logger, ex, _sink.GetType().Name);
            }
        }
    }
}
