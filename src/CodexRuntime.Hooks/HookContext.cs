using CodexRuntime.Interception;

namespace CodexRuntime.Hooks;

/// <summary>
/// What a hook sees: a thin, read-only view of the core's <see cref="CodexRunContext"/> (available as
/// <see cref="Run"/>). Pre hooks see the values after earlier hooks' changes.
/// </summary>
public sealed class HookContext
{
    /// <summary>Creates the view of <paramref name="run"/>.</summary>
    /// <param name="run">The core's context of this interceptor call.</param>
    public HookContext(CodexRunContext run)
    {
        ArgumentNullException.ThrowIfNull(run);
        Run = run;
    }

    /// <summary>The core's context this view wraps (for anything the view does not name).</summary>
    public CodexRunContext Run { get; }

    /// <summary>The phase of this call.</summary>
    public CodexRunPhase Phase => Run.Phase;

    /// <summary>True in the pre phases (the ones an <see cref="IPreHook"/> takes).</summary>
    public bool IsPre => Run.IsPre;

    /// <summary>The run's or session's working directory.</summary>
    public string Cwd => Run.Cwd;

    /// <summary>The thread, once there is one.</summary>
    public string? ThreadId => Run.ThreadId;

    /// <summary>The turn, once there is one.</summary>
    public string? TurnId => Run.TurnId;

    /// <summary>The prompt text (run and turn phases).</summary>
    public string? Prompt => Run.Prompt;

    /// <summary>The model the run asks for (null: codex's default).</summary>
    public string? Model => Run.Model;

    /// <summary>The prompt's attachments.</summary>
    public IReadOnlyList<CodexAttachment> Attachments => Run.Attachments;

    /// <summary>Values hooks passed along (<see cref="HookPatch.Metadata"/>) in earlier phases of the same run.</summary>
    public IReadOnlyDictionary<string, string> Metadata => Run.Metadata;

    /// <summary>The tool (PreToolUse, PostToolUse); null in other phases.</summary>
    public CodexToolUse? Tool => Run.Tool;

    /// <summary>The result (PostTurn, PostRun), when the turn ran.</summary>
    public PromptRunResult? Result => Run.Result;

    /// <summary>The failure (post phases), when the run or turn failed.</summary>
    public Exception? Error => Run.Error;
}
