namespace CodexRuntime.Automation;

/// <summary>How an automation ends: its final state and, for a failure, why (the status's last error).</summary>
/// <param name="State">Stopped or Failed.</param>
/// <param name="Error">Why it failed; null leaves the last error as it was.</param>
internal readonly record struct AutomationEnd(AutomationState State, string? Error = null);
