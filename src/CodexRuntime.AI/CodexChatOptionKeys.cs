namespace CodexRuntime.AI;

/// <summary>
/// The <see cref="Microsoft.Extensions.AI.ChatOptions.AdditionalProperties"/> keys <see cref="CodexChatClient"/> reads for codex
/// settings, and the <see cref="Microsoft.Extensions.AI.ChatResponseUpdate.AdditionalProperties"/> keys it writes for what
/// codex reports that M.E.AI has no content type for. Settings go through the session's <see cref="RunProfile"/>, so the
/// privileged-escalation rule still judges every turn.
/// </summary>
public static class CodexChatOptionKeys
{
    /// <summary>In: the sandbox of the turn, a <see cref="Protocol.SandboxMode"/> (or its name, e.g. <c>WorkspaceWrite</c>).</summary>
    public const string Sandbox = "codex.sandbox";

    /// <summary>In: the approval policy of the turn, a <see cref="CodexApprovalPolicy"/> (or its name, e.g. <c>OnRequest</c>).</summary>
    public const string ApprovalPolicy = "codex.approvalPolicy";

    /// <summary>Out: codex's plan changed; the value is the <see cref="PlanUpdatedEvent"/>.</summary>
    public const string Plan = "codex.plan";

    /// <summary>Out: the turn's diff changed; the value is the unified diff (a string).</summary>
    public const string Diff = "codex.diff";

    /// <summary>Out: codex warned; the value is the message (a string).</summary>
    public const string Warning = "codex.warning";

    /// <summary>Out: codex retries a failed model request; the value is the error message (a string).</summary>
    public const string Retry = "codex.retry";

    /// <summary>Out: text deltas were dropped under back-pressure; the value is how many (a long).</summary>
    public const string EventsLost = "codex.eventsLost";

    /// <summary>Out, in <see cref="Microsoft.Extensions.AI.UsageDetails.AdditionalCounts"/>: the thread's total tokens so far.</summary>
    public const string ThreadTotalTokens = "codex.threadTotalTokens";
}
