using Microsoft.Extensions.AI;

namespace CodexRuntime.AI;

/// <summary>
/// A question a codex turn waits on that the caller answers in its next call: an approval
/// (<see cref="ApprovalQuestion"/>) or a call of one of the caller's tools (<see cref="ToolCallQuestion"/>). The stream
/// ends with <see cref="Content"/>; the turn stays open until the answer comes or the core's deadline answers for it.
/// </summary>
internal abstract class TurnQuestion
{
    /// <summary>What the caller's answer names: the approval request id or the tool call id.</summary>
    public abstract string Id { get; }

    /// <summary>The content the stream ends with.</summary>
    public abstract AIContent Content { get; }

    /// <summary>The finish reason of the update that carries <see cref="Content"/>.</summary>
    public abstract ChatFinishReason? FinishReason { get; }

    /// <summary>What an error message calls the question and its expected answer.</summary>
    public abstract string Describe();

    /// <summary>True when <paramref name="request"/> holds this question's answer (nothing is sent yet).</summary>
    public abstract bool IsAnsweredBy(ChatRequest request);

    /// <summary>Sends the answer <paramref name="request"/> holds to codex (call <see cref="IsAnsweredBy"/> first).</summary>
    /// <returns>
    /// False when the core had already answered at the request's deadline (its policy): the turn went on without the
    /// caller's answer, and the call streams the rest of it.
    /// </returns>
    public abstract Task<bool> AnswerAsync(ChatRequest request);
}
