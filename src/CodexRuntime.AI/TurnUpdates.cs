using System.Text.Json;
using CodexRuntime.Protocol;
using Microsoft.Extensions.AI;

namespace CodexRuntime.AI;

/// <summary>
/// One turn's codex events as M.E.AI updates (docs/ai.md, the mapping table). codex's own tool use becomes
/// informational call and result contents, so <c>FunctionInvokingChatClient</c>-style middleware never runs
/// it again; every update carries the thread id as <see cref="ChatResponseUpdate.ConversationId"/>, the turn id as
/// <see cref="ChatResponseUpdate.ResponseId"/> and the event as <see cref="ChatResponseUpdate.RawRepresentation"/>.
/// </summary>
internal sealed class TurnUpdates(string? modelId, TimeProvider time)
{
    /// <summary>Agent messages whose text came as deltas: their completion repeats nothing.</summary>
    private readonly HashSet<string> _streamed = new(StringComparer.Ordinal);
    private ThreadTokenUsage? _usage;
    private string? _lastTextMessage;

    /// <summary>The updates one event becomes (none for events that carry nothing new, such as command output deltas).</summary>
    public IEnumerable<ChatResponseUpdate> Map(CodexTurnEvent e) => e switch
    {
        MessageDeltaEvent delta => [Text(delta)],
        ItemStartedEvent { Item: var item } => Call(e, item) is { } call ? [call] : [],
        ItemCompletedEvent { Item: var item } => Completed(e, item),
        UsageUpdatedEvent usage => Remember(usage),
        PlanUpdatedEvent plan => [Info(e, CodexChatOptionKeys.Plan, plan)],
        DiffUpdatedEvent diff => [Info(e, CodexChatOptionKeys.Diff, diff.Diff)],
        WarningEvent warning => [Info(e, CodexChatOptionKeys.Warning, warning.Message)],
        RetryingEvent retry => [Info(e, CodexChatOptionKeys.Retry, retry.Error.Message)],
        EventsLostEvent lost => [Info(e, CodexChatOptionKeys.EventsLost, lost.Count)],
        _ => [],
    };

    /// <summary>The last update of a completed turn: its finish reason and usage.</summary>
    public ChatResponseUpdate Finished(TurnCompletedEvent completed)
    {
        // Joins the last text message: ChatResponse<T> reads the last message's text, and the answer ends the turn.
        var update = Update(completed, ChatRole.Assistant, _lastTextMessage ?? completed.TurnId + "/end");
        update.FinishReason = ChatFinishReason.Stop;
        if ((completed.Result.Usage ?? _usage) is { } usage)
        {
            update.Contents.Add(new UsageContent(Usage(usage)) { RawRepresentation = usage });
        }

        return update;
    }

    /// <summary>codex asks for approval: M.E.AI's tool-approval request, for the caller to answer in its next call.</summary>
    public static ToolApprovalRequestContent ApprovalRequest(CodexApprovalRequest request)
    {
        var itemId = request.ItemId ?? request.Request.Id.ToString();
        var arguments = request.Kind == CodexApprovalKind.Command
            ? new Dictionary<string, object?> { ["command"] = request.Command, ["cwd"] = request.Cwd, ["reason"] = request.Reason }
            : new Dictionary<string, object?> { ["grantRoot"] = request.GrantRoot, ["reason"] = request.Reason };
        var call = new FunctionCallContent(itemId, request.Kind == CodexApprovalKind.Command ? "commandExecution" : "fileChange", arguments) { InformationalOnly = true };
        return new ToolApprovalRequestContent(ApprovalRequestId(itemId), call) { RawRepresentation = request };
    }

    /// <summary>The approval request id of an item: what the caller's answer must carry.</summary>
    public static string ApprovalRequestId(string itemId) => "codex-approval-" + itemId;

    private ChatResponseUpdate Text(MessageDeltaEvent delta)
    {
        _streamed.Add(delta.ItemId);
        _lastTextMessage = delta.ItemId;
        var update = Update(delta, ChatRole.Assistant, delta.ItemId);
        update.Contents.Add(new TextContent(delta.Delta));
        return update;
    }

    private IEnumerable<ChatResponseUpdate> Remember(UsageUpdatedEvent usage)
    {
        _usage = usage.Usage;
        return [];
    }

    private ChatResponseUpdate? Call(CodexTurnEvent e, ThreadItem item)
    {
        AIContent? content = item switch
        {
            CommandExecutionThreadItem command => Informational(command.Id, "commandExecution", new() { ["command"] = command.Command, ["cwd"] = command.Cwd }),
            FileChangeThreadItem change => Informational(change.Id, "fileChange", new() { ["paths"] = change.Changes.Select(c => c.Path).ToArray() }),
            McpToolCallThreadItem mcp => new McpServerToolCallContent(mcp.Id, mcp.Tool, mcp.Server) { Arguments = Arguments(mcp.Arguments) },
            WebSearchThreadItem search => new WebSearchToolCallContent(search.Id) { Queries = [search.Query] },
            _ => null,
        };
        if (content is null)
        {
            return null;
        }

        content.RawRepresentation = item;
        var update = Update(e, ChatRole.Assistant, ItemId(item) + "/call");
        update.Contents.Add(content);
        return update;
    }

    private IEnumerable<ChatResponseUpdate> Completed(CodexTurnEvent e, ThreadItem item)
    {
        AIContent? content;
        var role = ChatRole.Tool;
        switch (item)
        {
            case AgentMessageThreadItem message when !_streamed.Contains(message.Id) && message.Text.Length > 0:
                // No deltas came for it (a message codex did not stream): the whole text, once.
                content = new TextContent(message.Text);
                role = ChatRole.Assistant;
                _lastTextMessage = message.Id;
                break;
            case ReasoningThreadItem reasoning when Reasoning(reasoning) is { Length: > 0 } thought:
                content = new TextReasoningContent(thought);
                role = ChatRole.Assistant;
                break;
            case CommandExecutionThreadItem command:
                content = new FunctionResultContent(command.Id, command.AggregatedOutput ?? string.Empty);
                break;
            case FileChangeThreadItem change:
                content = new FunctionResultContent(change.Id, string.Join('\n', change.Changes.Select(c => c.Path)));
                break;
            case McpToolCallThreadItem mcp:
                content = new McpServerToolResultContent(mcp.Id) { Outputs = mcp.Error is { } error ? [new ErrorContent(error.Message)] : [] };
                break;
            case WebSearchThreadItem search:
                content = new WebSearchToolResultContent(search.Id);
                break;
            // A dynamic tool call item is not mapped: the call came to the caller as its own FunctionCallContent
            // (ToolCallQuestion), and the caller's result message holds the result.
            default:
                return [];
        }

        content.RawRepresentation = item;
        var update = Update(e, role, ItemId(item) + (role == ChatRole.Tool ? "/result" : string.Empty));
        update.Contents.Add(content);
        return [update];
    }

    private static FunctionCallContent Informational(string id, string name, Dictionary<string, object?> arguments) =>
        new(id, name, arguments) { InformationalOnly = true };

    /// <summary>A JSON object's members as M.E.AI call arguments (null for anything but an object).</summary>
    public static Dictionary<string, object?>? Arguments(JsonElement arguments) =>
        arguments.ValueKind == JsonValueKind.Object
            ? arguments.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone(), StringComparer.Ordinal)
            : null;

    private static string Reasoning(ReasoningThreadItem reasoning) =>
        string.Join("\n\n", (reasoning.Summary ?? []).Concat(reasoning.Content ?? []));

    private static string ItemId(ThreadItem item) => item switch
    {
        AgentMessageThreadItem i => i.Id,
        ReasoningThreadItem i => i.Id,
        CommandExecutionThreadItem i => i.Id,
        FileChangeThreadItem i => i.Id,
        McpToolCallThreadItem i => i.Id,
        WebSearchThreadItem i => i.Id,
        _ => "item",
    };

    private static UsageDetails Usage(ThreadTokenUsage usage) => new()
    {
        InputTokenCount = usage.Last.InputTokens,
        OutputTokenCount = usage.Last.OutputTokens,
        TotalTokenCount = usage.Last.TotalTokens,
        CachedInputTokenCount = usage.Last.CachedInputTokens,
        ReasoningTokenCount = usage.Last.ReasoningOutputTokens,
        AdditionalCounts = new() { [CodexChatOptionKeys.ThreadTotalTokens] = usage.Total.TotalTokens },
    };

    private ChatResponseUpdate Info(CodexTurnEvent e, string key, object value)
    {
        var update = Update(e, ChatRole.Assistant, e.TurnId + "/" + key);
        update.AdditionalProperties = new() { [key] = value };
        return update;
    }

    private ChatResponseUpdate Update(CodexTurnEvent e, ChatRole role, string messageId) => new()
    {
        Role = role,
        ConversationId = e.ThreadId,
        ResponseId = e.TurnId,
        MessageId = messageId,
        ModelId = modelId,
        CreatedAt = time.GetUtcNow(),
        RawRepresentation = e,
    };
}
