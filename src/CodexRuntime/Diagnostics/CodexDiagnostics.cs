namespace CodexRuntime.Diagnostics;

/// <summary>
/// Names to listen to: add <see cref="MeterName"/> to your metrics pipeline and <see cref="ActivitySourceName"/> to your
/// tracing pipeline (OpenTelemetry: <c>AddMeter</c> / <c>AddSource</c>).
/// </summary>
public static class CodexDiagnostics
{
    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> every runtime reports on.</summary>
    public const string MeterName = "CodexRuntime";

    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> of request and turn activities.</summary>
    public const string ActivitySourceName = "CodexRuntime";

    /// <summary>Activity of one JSON-RPC request: <c>codex.request</c>, tagged with <c>rpc.method</c>.</summary>
    public const string RequestActivityName = "codex.request";

    /// <summary>Activity of one turn, from <c>turn/started</c> to <c>turn/completed</c>: <c>codex.turn</c>, tagged with thread and turn ids and the final status.</summary>
    public const string TurnActivityName = "codex.turn";
}
