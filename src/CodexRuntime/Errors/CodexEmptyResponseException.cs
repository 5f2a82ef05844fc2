
namespace CodexRuntime;

/// <summary>The turn completed but the assistant wrote no text (neither streamed nor in a completed message).</summary>
public sealed class CodexEmptyResponseException : CodexRunException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="result">The completed turn, with its items.</param>
    public CodexEmptyResponseException(PromptRunResult result)
        : base($"Turn {result?.TurnId} of thread {result?.ThreadId} completed with no assistant text ({result?.Items.Count} item(s)). " +
            "Use AskStreamingAsync or PartialResult.Items when a turn may only run tools.", result?.ThreadId, result?.TurnId, result)
    {
    }
}
