using System.Diagnostics;
using CodexRuntime.Diagnostics;
using CodexRuntime.Protocol;

// State, not Diagnostics: it is one of the state's turn observers, and Diagnostics sits below State (the file stays in
// Diagnostics/ until the folders are regrouped).
namespace CodexRuntime.State;

/// <summary>One <see cref="CodexDiagnostics.TurnActivityName"/> activity per running turn, from the state's turn starts and ends.</summary>
internal sealed class TurnTracing : ITurnObserver
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Activity> _running = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public void TurnStarted(string threadId, string turnId)
    {
        lock (_gate)
        {
            if (!_running.ContainsKey(turnId) && CodexRuntimeTelemetry.StartTurn(threadId, turnId) is { } activity)
            {
                _running[turnId] = activity;
            }
        }
    }

    /// <inheritdoc />
    public void TurnEnded(string turnId, TurnStatus status, string? error)
    {
        Activity? activity;
        lock (_gate)
        {
            _running.Remove(turnId, out activity);
        }

        CodexRuntimeTelemetry.EndTurn(activity, status, error);
    }
}
