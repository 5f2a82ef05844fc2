using CodexRuntime.Protocol;
using CodexRuntime.Rpc;

namespace CodexRuntime.Sessions;

/// <summary>A routed notification as the typed event a turn's reader sees: deltas from the classifier's slice (no second parse), items typed at start and completion.</summary>
internal static class TurnEventMap
{
    /// <summary>The event for <paramref name="message"/>; null for a notification a turn's stream does not show.</summary>
    public static CodexTurnEvent? Map(string threadId, string turnId, CodexInboundMessage message)
    {
        switch (message.Method)
        {
            case "item/agentMessage/delta":
                return new MessageDeltaEvent(threadId, turnId, message.ItemId ?? string.Empty, message.DeltaText() ?? string.Empty);
            case "item/commandExecution/outputDelta":
                return new CommandOutputEvent(threadId, turnId, message.ItemId ?? string.Empty, message.DeltaText() ?? string.Empty);
            case "item/fileChange/outputDelta":
                return new FileChangeOutputEvent(threadId, turnId, message.ItemId ?? string.Empty, message.DeltaText() ?? string.Empty);
            case "item/started":
                return new ItemStartedEvent(threadId, turnId, message.ReadParams(CodexNotifications.ItemStarted).Item);
            case "item/completed":
                return new ItemCompletedEvent(threadId, turnId, message.ReadParams(CodexNotifications.ItemCompleted).Item);
            case "turn/plan/updated":
                var plan = message.ReadParams(CodexNotifications.TurnPlanUpdated);
                return new PlanUpdatedEvent(threadId, turnId, plan.Explanation, plan.Plan);
            case "turn/diff/updated":
                return new DiffUpdatedEvent(threadId, turnId, message.ReadParams(CodexNotifications.TurnDiffUpdated).Diff);
            case "thread/tokenUsage/updated":
                return new UsageUpdatedEvent(threadId, turnId, message.ReadParams(CodexNotifications.ThreadTokenUsageUpdated).TokenUsage);
            case "error":
                // A final error (no retry) ends the turn as failed: the result and its exception carry it.
                var error = message.ReadParams(CodexNotifications.Error);
                return error.WillRetry ? new RetryingEvent(threadId, turnId, error.Error) : null;
            case "warning":
                return new WarningEvent(threadId, turnId, message.ReadParams(CodexNotifications.Warning).Message);
            default:
                return null;
        }
    }
}
