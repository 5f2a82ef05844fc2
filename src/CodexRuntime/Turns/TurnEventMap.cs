using CodexRuntime.Protocol;
using CodexRuntime.Protocol.Names;
using CodexRuntime.Rpc;

namespace CodexRuntime;

/// <summary>A routed notification as the typed event a turn's reader sees: deltas from the classifier's slice (no second parse), items typed at start and completion.</summary>
internal static class TurnEventMap
{
    /// <summary>The event for <paramref name="message"/>; null for a notification a turn's stream does not show.</summary>
    public static CodexTurnEvent? Map(string threadId, string turnId, CodexInboundMessage message)
    {
        switch (message.Method)
        {
            case CodexNotificationNames.ItemAgentMessageDelta:
                return new MessageDeltaEvent(threadId, turnId, message.ItemId ?? string.Empty, message.DeltaText() ?? string.Empty);
            case CodexNotificationNames.ItemCommandExecutionOutputDelta:
                return new CommandOutputEvent(threadId, turnId, message.ItemId ?? string.Empty, message.DeltaText() ?? string.Empty);
            case CodexNotificationNames.ItemFileChangeOutputDelta:
                return new FileChangeOutputEvent(threadId, turnId, message.ItemId ?? string.Empty, message.DeltaText() ?? string.Empty);
            case CodexNotificationNames.ItemStarted:
                return new ItemStartedEvent(threadId, turnId, message.ReadParams(CodexNotifications.ItemStarted).Item);
            case CodexNotificationNames.ItemCompleted:
                return new ItemCompletedEvent(threadId, turnId, message.ReadParams(CodexNotifications.ItemCompleted).Item);
            case CodexNotificationNames.TurnPlanUpdated:
                var plan = message.ReadParams(CodexNotifications.TurnPlanUpdated);
                return new PlanUpdatedEvent(threadId, turnId, plan.Explanation, plan.Plan);
            case CodexNotificationNames.TurnDiffUpdated:
                return new DiffUpdatedEvent(threadId, turnId, message.ReadParams(CodexNotifications.TurnDiffUpdated).Diff);
            case CodexNotificationNames.ThreadTokenUsageUpdated:
                return new UsageUpdatedEvent(threadId, turnId, message.ReadParams(CodexNotifications.ThreadTokenUsageUpdated).TokenUsage);
            case CodexNotificationNames.Error:
                // A final error (no retry) ends the turn as failed: the result and its exception carry it.
                var error = message.ReadParams(CodexNotifications.Error);
                return error.WillRetry ? new RetryingEvent(threadId, turnId, error.Error) : null;
            case CodexNotificationNames.Warning:
                return new WarningEvent(threadId, turnId, message.ReadParams(CodexNotifications.Warning).Message);
            default:
                return null;
        }
    }
}
