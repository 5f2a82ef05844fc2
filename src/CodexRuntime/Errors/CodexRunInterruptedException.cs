
namespace CodexRuntime;

/// <summary>The turn ended as interrupted (an explicit interrupt, a cancelled call, or an approval answered with cancel).</summary>
public sealed class CodexRunInterruptedException : CodexRunException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="result">The interrupted turn as the run saw it.</param>
    public CodexRunInterruptedException(PromptRunResult result)
        : base($"Turn {result?.TurnId} of thread {result?.ThreadId} was interrupted before it finished; PartialResult holds what it produced.", result?.ThreadId, result?.TurnId, result)
    {
    }
}
