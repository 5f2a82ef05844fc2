namespace CodexRuntime;

/// <summary>The tool a <see cref="CodexRunPhase.PreToolUse"/> or <see cref="CodexRunPhase.PostToolUse"/> call is about.</summary>
/// <param name="Tool">The tool: <c>commandExecution</c> or <c>fileChange</c> (codex's item types).</param>
/// <param name="ItemId">codex's item id.</param>
/// <param name="Command">The command line (commands).</param>
/// <param name="Cwd">Where the command runs (commands), when codex says.</param>
/// <param name="Reason">Why codex asks (pre), when it says.</param>
/// <param name="Status">How the item ended (post): e.g. <c>completed</c>, <c>failed</c>, <c>declined</c>.</param>
/// <param name="ExitCode">The command's exit code (post, commands).</param>
/// <param name="Output">The command's aggregated output (post, commands), as codex reported it.</param>
public sealed record CodexToolUse(
    string Tool,
    string? ItemId,
    string? Command = null,
    string? Cwd = null,
    string? Reason = null,
    string? Status = null,
    int? ExitCode = null,
    string? Output = null);
