using CodexRuntime.Interception;

namespace CodexRuntime.Hooks;

/// <summary>One hook (interceptor) call of a run.</summary>
/// <param name="HookName">The hook's name.</param>
/// <param name="Phase">The phase.</param>
/// <param name="Outcome">How it went: continued, mutated, blocked, failed or timed out.</param>
/// <param name="Message">The block reason, or what failed / timed out; null otherwise.</param>
/// <param name="Duration">How long the call took.</param>
/// <param name="Tool">The tool, for tool phases.</param>
public sealed record HookReportEntry(
    string HookName,
    CodexRunPhase Phase,
    CodexInterceptionOutcome Outcome,
    string? Message,
    TimeSpan Duration,
    CodexToolUse? Tool)
{
    /// <summary>True when the hook threw or did not answer in time (the run went on without it).</summary>
    public bool IsIssue => Outcome is CodexInterceptionOutcome.Failed or CodexInterceptionOutcome.TimedOut;

    /// <summary>True when the hook blocked (the run stopped, or the tool use was declined).</summary>
    public bool IsBlock => Outcome == CodexInterceptionOutcome.Blocked;

    /// <summary>True when the hook changed what the run sends.</summary>
    public bool IsMutation => Outcome == CodexInterceptionOutcome.Mutated;

    /// <summary>The phase's name (<c>PreTurn</c>, <c>PostToolUse</c>, ...): read a report with <c>using CodexRuntime.Hooks;</c> alone.</summary>
    public string PhaseName => Phase.ToString();

    /// <inheritdoc />
    public override string ToString() =>
        $"{HookName} {PhaseName}: {Outcome}{(Message is null ? string.Empty : " (" + Message + ")")}{(Tool is null ? string.Empty : " [" + Tool.Tool + "]")}";

    /// <summary>The entry of a core report record.</summary>
    /// <param name="record">The record.</param>
    /// <returns>The entry.</returns>
    public static HookReportEntry From(CodexInterceptionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new HookReportEntry(record.Interceptor, record.Phase, record.Outcome, record.Message, record.Duration, record.Tool);
    }
}
