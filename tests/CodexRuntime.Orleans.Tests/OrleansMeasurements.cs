using System.Diagnostics.Metrics;

namespace CodexRuntime.Orleans.Tests;

/// <summary>
/// The <c>CodexRuntime.Orleans</c> measurements of in-process replicas, told apart by each replica's meter factory:
/// sums per replica and instrument (an up-down counter's sum is its value). <c>.opened</c> sums only the additions.
/// </summary>
internal sealed class OrleansMeasurements : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<IMeterFactory> _replicas;
    private readonly List<(int Replica, string Name, long Value)> _measured = [];

    public OrleansMeasurements(IEnumerable<IMeterFactory> replicas)
    {
        _replicas = replicas.ToList();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "CodexRuntime.Orleans" && _replicas.Any(f => ReferenceEquals(f, instrument.Meter.Scope)))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            var replica = _replicas.FindIndex(f => ReferenceEquals(f, instrument.Meter.Scope));
            lock (_measured)
            {
                _measured.Add((replica, instrument.Name, value));
            }
        });
        _listener.Start();
    }

    /// <summary>The sum of an instrument's measurements on a replica (0-based); <c>name.opened</c>: its additions only.</summary>
    public long Sum(int replica, string name)
    {
        var additions = name.EndsWith(".opened", StringComparison.Ordinal);
        var instrument = additions ? name[..^".opened".Length] : name;
        lock (_measured)
        {
            return _measured.Where(m => m.Replica == replica && m.Name == instrument && (!additions || m.Value > 0)).Sum(m => m.Value);
        }
    }

    public void Dispose() => _listener.Dispose();
}
