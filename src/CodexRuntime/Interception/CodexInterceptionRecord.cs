namespace CodexRuntime;

/// <summary>One interceptor call of a run, as its report holds it.</summary>
/// <param name="Interceptor">The interceptor's name.</param>
/// <param name="Phase">The phase.</param>
/// <param name="Outcome">How it went.</param>
/// <param name="Message">The block reason, or what failed / timed out.</param>
/// <param name="Duration">How long the call took.</param>
/// <param name="Tool">The tool, for tool phases.</param>
public sealed record CodexInterceptionRecord(
    string Interceptor,
    CodexRunPhase Phase,
    CodexInterceptionOutcome Outcome,
    string? Message,
    TimeSpan Duration,
    CodexToolUse? Tool = null);
