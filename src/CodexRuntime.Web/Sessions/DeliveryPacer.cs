namespace CodexRuntime.Web.Sessions;

/// <summary>
/// Gives the turns' pumps priority over writing to SSE clients, for one adapter. Clients write their batches one
/// writer slot at a time (one core fewer than there are, at least one), and while a pump is busy (it recorded an event
/// within <see cref="BusySpell"/>), writing may use only <see cref="BusyShare"/> of each <see cref="Window"/>; the rest
/// of the window the writers wait and the pump has the machine. A pump at a model's pace (an event every few
/// milliseconds) is idle most of the time, and its clients are written to at full speed in between. A client held back meanwhile catches up from the log later, in bigger (cheaper)
/// batches, or is reset when its next event is no longer kept.
/// </summary>
/// <remarks>
/// Without it, 1,000 clients writing every wake-up took most of a 2-core machine from the pump that reads codex's
/// output, and codex's deltas were taken at well under half the one-client rate. The time counted is the time a writer
/// holds its slot: writing its frames and its flushes that complete at once (with Kestrel's inline socket scheduling
/// that is the socket send itself); a flush that has to wait for a slow socket gives the slot up first.
/// </remarks>
internal sealed class DeliveryPacer
{
    /// <summary>The window over which writing is budgeted.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(10);

    /// <summary>How recent a pump's last event must be for the pump to count as busy.</summary>
    public static readonly TimeSpan BusySpell = TimeSpan.FromMilliseconds(1);

    /// <summary>The share of a window writers may use while a pump is busy.</summary>
    public const double BusyShare = 0.05;

    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _writers = new(Math.Max(1, Environment.ProcessorCount - 1));
    private readonly Lock _gate = new();
    private readonly TimeSpan _budget = Window * BusyShare;
    private long _lastRecorded;
    private long _windowStart;
    private TimeSpan _spent;

    /// <summary>Creates the pacer.</summary>
    /// <param name="time">The clock of the windows.</param>
    public DeliveryPacer(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        _windowStart = _time.GetTimestamp();
    }

    /// <summary>A pump recorded an event now (cheap: one write of a timestamp).</summary>
    public void Recorded() => Volatile.Write(ref _lastRecorded, _time.GetTimestamp());

    /// <summary>Takes a writer slot, waiting for the next window while the budget of a busy window is spent.</summary>
    /// <param name="cancellationToken">Stops waiting (the client left).</param>
    /// <returns>When the slot was taken, for <see cref="Exit"/>.</returns>
    public async ValueTask<long> EnterAsync(CancellationToken cancellationToken)
    {
        await _writers.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (WaitBeforeWriting() is var wait && wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            _writers.Release();
            throw;
        }

        return _time.GetTimestamp();
    }

    /// <summary>Gives the slot back, counting the time it was held.</summary>
    /// <param name="entered">What <see cref="EnterAsync"/> returned.</param>
    public void Exit(long entered)
    {
        var held = _time.GetElapsedTime(entered);
        lock (_gate)
        {
            _spent += held;
        }

        _writers.Release();
    }

    private TimeSpan WaitBeforeWriting()
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            var inWindow = _time.GetElapsedTime(_windowStart, now);
            if (inWindow >= Window)
            {
                _windowStart = now;
                _spent = TimeSpan.Zero;
                inWindow = TimeSpan.Zero;
            }

            var busy = _time.GetElapsedTime(Volatile.Read(ref _lastRecorded), now) < BusySpell;
            return busy && _spent >= _budget ? Window - inWindow : TimeSpan.Zero;
        }
    }
}
