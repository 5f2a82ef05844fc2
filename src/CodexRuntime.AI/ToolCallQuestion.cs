using System.Text.Json;
using CodexRuntime.Protocol;
using CodexRuntime.ServerRequests;
using Microsoft.Extensions.AI;

namespace CodexRuntime.AI;

/// <summary>
/// codex calls one of the thread's dynamic tools (<c>item/tool/call</c>): a <see cref="FunctionCallContent"/> that the
/// caller's function-invoking layer (or the caller) invokes, answered by the <see cref="FunctionResultContent"/> with
/// its call id. The result goes back to codex as the tool's text output; a result that carries an exception is a
/// failed call.
/// </summary>
internal sealed class ToolCallQuestion : TurnQuestion
{
    private readonly CodexServerRequest _request;
    private readonly FunctionCallContent _content;

    public ToolCallQuestion(CodexServerRequest request)
    {
        _request = request;
        var call = request.ReadParams(CodexServerRequests.ItemToolCall);
        _content = new FunctionCallContent(call.CallId, call.Tool, TurnUpdates.Arguments(call.Arguments) ?? new()) { RawRepresentation = request };
    }

    public override string Id => _content.CallId;

    public override AIContent Content => _content;

    public override ChatFinishReason? FinishReason => ChatFinishReason.ToolCalls;

    public override string Describe() => $"the result of tool call {Id} ({_content.Name}; send a FunctionResultContent with that call id, and no new text)";

    public override bool IsAnsweredBy(ChatRequest request) => Result(request) is not null;

    public override Task<bool> AnswerAsync(ChatRequest request)
    {
        var result = Result(request)!;
        var response = new DynamicToolCallResponse
        {
            ContentItems = [new InputTextDynamicToolCallOutputContentItem { Text = Text(result.Result) }],
            Success = result.Exception is null,
        };
        return _request.RespondAsync(CodexServerRequests.ItemToolCall, response);
    }

    private FunctionResultContent? Result(ChatRequest request) => request.ToolResults.FirstOrDefault(r => r.CallId == Id);

    /// <summary>The tool's output as codex's text item: strings as they are, anything else as JSON.</summary>
    private static string Text(object? result) => result switch
    {
        null => string.Empty,
        string text => text,
        JsonElement { ValueKind: JsonValueKind.String } text => text.GetString()!,
        JsonElement json => json.GetRawText(),
        _ => JsonSerializer.Serialize(result, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(object))),
    };
}
