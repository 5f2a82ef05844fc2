using System.Text.Json.Nodes;
using CodexRuntime.Web.Sessions;

namespace CodexRuntime.Web;

/// <summary>
/// One AG-UI run's view of a session's event log: the events of one codex turn, read from the turn's start, become
/// AG-UI events (docs/agui.md has the table). A run that resumes an interrupt reads the turn from its start too, and
/// stays silent until the interrupts it answers have passed, so what it sends continues exactly where the interrupted
/// run stopped, with the same message ids. The run ends (<see cref="Done"/>) at the turn's end, at a pending approval
/// (an interrupt), at a pending call of one of the client's tools (<c>pendingToolCallIds</c>), or when the log ends
/// or forgot the turn's events. <c>clientTools</c> names the client's tools on this thread: codex's calls of these are
/// the client's to run.
/// </summary>
internal sealed class AgUiEventMapper(string threadId, string runId, string turnId, IEnumerable<string> answered, Func<string, bool> isPending, IReadOnlySet<string> clientTools)
{
    private readonly HashSet<string> _silentUntil = new(answered, StringComparer.Ordinal);
    private readonly Dictionary<string, int> _textSegments = new(StringComparer.Ordinal);
    private readonly HashSet<string> _calls = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonNode?> _changes = new(StringComparer.Ordinal);
    private readonly List<JsonObject> _out = [];
    private readonly long[] _usage = new long[5];
    private bool _usageSeen;
    private string? _openText;

    /// <summary>The run has ended: its last event was RUN_FINISHED or RUN_ERROR.</summary>
    public bool Done { get; private set; }

    /// <summary>The client tool call the run ended at (codex's call id), once it did.</summary>
    public string? PendingToolCallId { get; private set; }

    public JsonObject RunStarted() => Event("RUN_STARTED", new() { ["threadId"] = threadId, ["runId"] = runId });

    /// <summary>The AG-UI events one log event becomes (none while silent, or for events of other turns).</summary>
    public IReadOnlyList<JsonObject> Map(WebEvent e)
    {
        _out.Clear();
        var silent = _silentUntil.Count > 0;
        switch (e.Kind)
        {
            case "reset":
                Error("eventsNotKept", "The run's events are no longer kept on the server. Start a run with no messages to get the thread's messages.");
                return _out;
            case "end":
                var reason = (string?)JsonNode.Parse(e.Data)?["reason"] ?? "sessionClosed";
                Error(reason, reason == "serverStopping" ? "The server is stopping; the run ends here." : "The conversation was closed.");
                return _out;
        }

        var data = JsonNode.Parse(e.Data) as JsonObject;
        if (data is null || (string?)data["turnId"] != turnId)
        {
            return _out; // another turn's, or not a turn's (approvalResolved, sessionClosed)
        }

        switch (e.Kind)
        {
            case "delta":
                Text((string?)data["itemId"] ?? string.Empty, (string?)data["text"] ?? string.Empty);
                break;
            case "itemStarted" when data["item"] is JsonObject item:
                if (AgUiItems.Type(item) == "fileChange")
                {
                    _changes[AgUiItems.Id(item)] = item["changes"]?.DeepClone();
                }

                StartCall(item);
                break;
            case "itemCompleted" when data["item"] is JsonObject item:
                Completed(item);
                break;
            case "plan":
                // codex sends the whole plan each time: a snapshot says it exactly.
                _out.Add(Event("STATE_SNAPSHOT", new() { ["snapshot"] = new JsonObject { ["plan"] = new JsonObject { ["explanation"] = data["explanation"]?.DeepClone(), ["steps"] = data["steps"]?.DeepClone() ?? new JsonArray() } } }));
                break;
            case "usage" when !silent: // the interrupted run counted those before its end
                AddUsage(data["usage"]?["last"]);
                break;
            case "diff":
                Custom("codex.diff", new JsonObject { ["diff"] = data["diff"]?.DeepClone() });
                break;
            case "retrying":
                Custom("codex.retrying", new JsonObject { ["message"] = data["message"]?.DeepClone() });
                break;
            case "warning":
                Custom("codex.warning", new JsonObject { ["message"] = data["message"]?.DeepClone() });
                break;
            case "eventsLost":
                Custom("codex.eventsLost", new JsonObject { ["count"] = data["count"]?.DeepClone() });
                break;
            case "approval":
                Approval(data, silent);
                break;
            case "turnCompleted":
                CloseText();
                switch ((string?)data["status"])
                {
                    case "completed":
                        Finished(new JsonObject { ["type"] = "success" });
                        break;
                    case "interrupted":
                        Finished(new JsonObject { ["type"] = "cancelled" });
                        break;
                    default:
                        Error("turnFailed", "codex could not complete the turn; try again, and tell the site's operator if it keeps happening.");
                        break;
                }

                break;
        }

        if (silent)
        {
            _out.Clear();
        }

        return _out;
    }

    private void Approval(JsonObject approval, bool silent)
    {
        var id = (string?)approval["approvalId"] ?? string.Empty;
        CloseText(); // the run that stopped here closed it too
        if (silent)
        {
            _silentUntil.Remove(id);
            return;
        }

        if (!isPending(id))
        {
            return; // answered already (another client, or its deadline): not something to wait for
        }

        if ((string?)approval["kind"] == WebApprovalKinds.DynamicToolCall.Name && approval["params"] is JsonObject call
            && (string?)call["tool"] is { } tool && clientTools.Contains(tool))
        {
            ClientCall((string?)call["callId"] ?? id, tool, call["arguments"]);
            return;
        }

        var interrupt = AgUiInterrupts.From(approval, id, itemId => _changes.GetValueOrDefault(itemId));
        var outcome = new JsonObject { ["type"] = "interrupt", ["interrupts"] = new JsonArray(interrupt) };
        Finished(outcome);
    }

    /// <summary>
    /// codex calls one of the client's tools: the call, marked as the client's to execute, and the run ends with it
    /// pending (AG-UI's frontend tool round trip); its result comes as a tool message in the next run. Its
    /// <c>dynamicToolCall</c> item is not mapped, so the call is announced once, here, where it waits.
    /// </summary>
    private void ClientCall(string callId, string tool, JsonNode? arguments)
    {
        _out.Add(Event("TOOL_CALL_START", new() { ["toolCallId"] = callId, ["toolCallName"] = tool, ["metadata"] = AgUiItems.ClientExecuted() }));
        _out.Add(Event("TOOL_CALL_ARGS", new() { ["toolCallId"] = callId, ["delta"] = arguments?.ToJsonString() ?? "{}" }));
        _out.Add(Event("TOOL_CALL_END", new() { ["toolCallId"] = callId }));
        PendingToolCallId = callId;
        Finished(new JsonObject { ["type"] = "success", ["pendingToolCallIds"] = new JsonArray(callId) });
    }

    private void Text(string itemId, string delta)
    {
        if (_openText is null || _openText != MessageId(itemId))
        {
            CloseText();
            var segment = _textSegments[itemId] = _textSegments.GetValueOrDefault(itemId) + 1;
            _openText = MessageId(itemId, segment);
            _out.Add(Event("TEXT_MESSAGE_START", new() { ["messageId"] = _openText, ["role"] = "assistant" }));
        }

        _out.Add(Event("TEXT_MESSAGE_CONTENT", new() { ["messageId"] = _openText, ["delta"] = delta }));
    }

    /// <summary>An item's text message id: the item id, then <c>id/2</c>, <c>id/3</c> for text that came after an interrupt.</summary>
    private string MessageId(string itemId, int? segment = null)
    {
        var n = segment ?? _textSegments.GetValueOrDefault(itemId);
        return n <= 1 ? itemId : $"{itemId}/{n}";
    }

    private void CloseText()
    {
        if (_openText is not null)
        {
            _out.Add(Event("TEXT_MESSAGE_END", new() { ["messageId"] = _openText }));
            _openText = null;
        }
    }

    private void StartCall(JsonObject item)
    {
        if (AgUiItems.Call(item) is not { } call || AgUiItems.IsClientCall(item, clientTools) || !_calls.Add(AgUiItems.Id(item)))
        {
            return;
        }

        CloseText();
        var id = AgUiItems.Id(item);
        _out.Add(Event("TOOL_CALL_START", new() { ["toolCallId"] = id, ["toolCallName"] = call.Name, ["metadata"] = AgUiItems.AgentExecuted(AgUiItems.Type(item)!) }));
        _out.Add(Event("TOOL_CALL_ARGS", new() { ["toolCallId"] = id, ["delta"] = call.Arguments }));
        _out.Add(Event("TOOL_CALL_END", new() { ["toolCallId"] = id }));
    }

    private void Completed(JsonObject item)
    {
        var id = AgUiItems.Id(item);
        if (AgUiItems.AgentText(item) is { } text)
        {
            if (_textSegments.ContainsKey(id))
            {
                if (_openText is not null && _openText == MessageId(id))
                {
                    CloseText();
                }
            }
            else if (text.Length > 0)
            {
                // No deltas came for it: the whole text as one message.
                CloseText();
                _textSegments[id] = 1;
                _out.Add(Event("TEXT_MESSAGE_START", new() { ["messageId"] = id, ["role"] = "assistant" }));
                _out.Add(Event("TEXT_MESSAGE_CONTENT", new() { ["messageId"] = id, ["delta"] = text }));
                _out.Add(Event("TEXT_MESSAGE_END", new() { ["messageId"] = id }));
            }

            return;
        }

        if (AgUiItems.Reasoning(item) is { } thought)
        {
            if (thought.Length > 0)
            {
                CloseText();
                _out.Add(Event("REASONING_START", new() { ["messageId"] = id }));
                _out.Add(Event("REASONING_MESSAGE_START", new() { ["messageId"] = id, ["role"] = "reasoning" }));
                _out.Add(Event("REASONING_MESSAGE_CONTENT", new() { ["messageId"] = id, ["delta"] = thought }));
                _out.Add(Event("REASONING_MESSAGE_END", new() { ["messageId"] = id }));
                _out.Add(Event("REASONING_END", new() { ["messageId"] = id }));
            }

            return;
        }

        if (AgUiItems.Call(item) is not null && !AgUiItems.IsClientCall(item, clientTools))
        {
            StartCall(item); // a call whose start this run did not see
            CloseText();
            _out.Add(Event("TOOL_CALL_RESULT", new() { ["messageId"] = id + "/result", ["toolCallId"] = id, ["role"] = "tool", ["content"] = AgUiItems.Result(item) }));
        }
    }

    /// <summary>codex reports each model request's tokens (<c>last</c>): the run's usage is their sum.</summary>
    private void AddUsage(JsonNode? last)
    {
        if (last is not JsonObject counts)
        {
            return;
        }

        _usageSeen = true;
        string[] names = ["inputTokens", "outputTokens", "totalTokens", "reasoningOutputTokens", "cachedInputTokens"];
        for (var i = 0; i < names.Length; i++)
        {
            _usage[i] += counts[names[i]] is JsonValue v && v.TryGetValue<long>(out var n) ? n : 0;
        }
    }

    private void Finished(JsonObject outcome)
    {
        var finished = Event("RUN_FINISHED", new() { ["threadId"] = threadId, ["runId"] = runId, ["outcome"] = outcome });
        if (_usageSeen)
        {
            finished["usage"] = new JsonArray(new JsonObject
            {
                ["provider"] = "codex",
                ["inputTokens"] = _usage[0],
                ["outputTokens"] = _usage[1],
                ["totalTokens"] = _usage[2],
                ["reasoningTokens"] = _usage[3],
                ["cachedInputTokens"] = _usage[4],
            });
        }

        _out.Add(finished);
        Done = true;
    }

    /// <summary>RUN_ERROR with a message written for the person using the app: never codex's own text, paths or stacks.</summary>
    private void Error(string code, string message)
    {
        CloseText();
        _out.Add(Event("RUN_ERROR", new() { ["message"] = message, ["code"] = code }));
        Done = true;
    }

    private void Custom(string name, JsonObject value) => _out.Add(Event("CUSTOM", new() { ["name"] = name, ["value"] = value }));

    private static JsonObject Event(string type, JsonObject members)
    {
        var e = new JsonObject { ["type"] = type };
        foreach (var (name, value) in members.ToArray())
        {
            members.Remove(name);
            e[name] = value;
        }

        return e;
    }
}
