using System.Diagnostics.Metrics;

namespace CodexRuntime.Automation.Diagnostics;

/// <summary>
/// The instruments of one automation on the meter <c>CodexRuntime.Automation</c>, each tagged with the automation's
/// name: runs (by outcome), failures, run duration and lateness (start time minus due time).
/// </summary>
internal sealed class AutomationMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "CodexRuntime.Automation";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly KeyValuePair<string, object?> _automation;
    private readonly Counter<long> _runs;
    private readonly Counter<long> _failures;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _lateness;
    private readonly Counter<long> _controls;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _passedOver;

    public AutomationMetrics(string automation, IMeterFactory? factory)
    {
        // A factory's meter belongs to the factory (the host disposes it); a meter of our own is disposed with the automation.
        _ownsMeter = factory is null;
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _automation = new KeyValuePair<string, object?>("automation", automation);
        _runs = _meter.CreateCounter<long>("codex.automation.runs", "{run}", "Runs that ended, by outcome (completed, failed, interrupted, cancelled).");
        _failures = _meter.CreateCounter<long>("codex.automation.failures", "{failure}", "Run attempts that failed (the last one stops its automation as Failed).");
        _controls = _meter.CreateCounter<long>("codex.automation.controls", "{action}", "Control actions taken, by action (pause, resume, run_now, skip, cancel).");
        _retries = _meter.CreateCounter<long>("codex.automation.retries", "{retry}", "Failed runs scheduled to be tried again.");
        _passedOver = _meter.CreateCounter<long>("codex.automation.missed.passed_over", "{event}", "Times the missed-run policy moved an owed point that had passed (Skip, or RunEach dropping older points).");
        _duration = _meter.CreateHistogram<double>("codex.automation.run.duration", "s", "How long a run took, from its start to its end.");
        _lateness = _meter.CreateHistogram<double>("codex.automation.lateness", "s", "How late a run started: its start time minus its due time.");
    }

    public void RunStarted(TimeSpan lateness) => _lateness.Record(Math.Max(0, lateness.TotalSeconds), _automation);

    public void RunEnded(string outcome, TimeSpan duration)
    {
        var outcomeTag = new KeyValuePair<string, object?>("outcome", outcome);
        _runs.Add(1, _automation, outcomeTag);
        _duration.Record(duration.TotalSeconds, _automation, outcomeTag);
        if (outcome == "failed")
        {
            _failures.Add(1, _automation);
        }
    }

    public void Control(string action) => _controls.Add(1, _automation, new KeyValuePair<string, object?>("action", action));

    public void RetryScheduled() => _retries.Add(1, _automation);

    public void MissedPointsPassedOver() => _passedOver.Add(1, _automation);

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
