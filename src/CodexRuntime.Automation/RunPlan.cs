namespace CodexRuntime.Automation;

/// <summary>What the loop does next.</summary>
/// <param name="Paused">Paused: no run starts; the loop waits for a change (or <see cref="AutomationSpec.StopAt"/>).</param>
/// <param name="At">When the run starts (a past time: at once); null when the schedule has no further point.</param>
/// <param name="DueAt">The run's due time: the scheduled point, or when the run-now was requested.</param>
/// <param name="RunNow">The run is a run-now (counted, the schedule does not move).</param>
/// <param name="Changed">Completes when the plan went out of date.</param>
internal readonly record struct RunPlan(bool Paused, DateTimeOffset? At, DateTimeOffset? DueAt, bool RunNow, Task Changed);
