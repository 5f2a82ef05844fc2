
namespace CodexRuntime;

/// <summary>What an interceptor sees: the phase, where the run works, what it sends, and (post phases) how it went.</summary>
/// <param name="Phase">The phase of this call.</param>
/// <param name="Cwd">The run's or session's working directory.</param>
/// <param name="ThreadId">The thread, once there is one.</param>
/// <param name="TurnId">The turn, once there is one.</param>
/// <param name="Prompt">The prompt text (run and turn phases), after earlier interceptors' changes.</param>
/// <param name="Model">The model the run asks for (null: codex's default), after earlier changes.</param>
/// <param name="Attachments">The prompt's attachments, after earlier changes.</param>
/// <param name="Metadata">Values interceptors passed along (<see cref="CodexRunPatch.Metadata"/>), for later phases of the same run.</param>
/// <param name="Tool">The tool (tool phases).</param>
/// <param name="Result">The result (PostTurn, PostRun), when the turn ran.</param>
/// <param name="Error">The failure (post phases), when the run or turn failed.</param>
public sealed record CodexRunContext(
    CodexRunPhase Phase,
    string Cwd,
    string? ThreadId,
    string? TurnId,
    string? Prompt,
    string? Model,
    IReadOnlyList<CodexAttachment> Attachments,
    IReadOnlyDictionary<string, string> Metadata,
    CodexToolUse? Tool = null,
    PromptRunResult? Result = null,
    Exception? Error = null)
{
    /// <summary>True for the phases whose decision counts (the <c>Pre*</c> phases).</summary>
    public bool IsPre => Phase.IsPre();
}
