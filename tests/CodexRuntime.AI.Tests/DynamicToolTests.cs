using System.Text.Json;
using System.Text.Json.Nodes;
using CodexRuntime.AI.Tests.Support;
using CodexRuntime.Events;
using CodexRuntime.Testing;
using CodexRuntime.Tests.Shared;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace CodexRuntime.AI.Tests;

/// <summary>
/// Must show 6: an <see cref="AIFunction"/> in <see cref="ChatOptions.Tools"/> is offered to codex as a dynamic tool;
/// when the (fake) model calls it, codex asks the application (<c>item/tool/call</c>), the chat client hands the call
/// to the caller's <see cref="FunctionInvokingChatClient"/>, which invokes it exactly once, and its result reaches the
/// model in the same turn. Dynamic tools exist on both ends of the supported range (0.104.0 and the newest).
/// </summary>
public sealed class DynamicToolTests
{
    private const string CallId = "call-ticket";

    [Theory]
    [MemberData(nameof(CodexVersions.Both), MemberType = typeof(CodexVersions))]
    public async Task An_AIFunction_is_called_by_codex_and_invoked_exactly_once_and_its_result_reaches_the_model(string version)
    {
        var ticket = new CountingTicketTool();
        await using var codex = await AiCodex.CreateAsync(version, "never", null, OptIn, Script());
        using var pipeline = new ChatClientBuilder(codex.Chat).UseFunctionInvocation().Build();
        using var deadline = new CancellationTokenSource(AiCodex.Deadline);

        var response = await pipeline.GetResponseAsync("What is the status of T-42?", new ChatOptions { Tools = [ticket.Function] }, deadline.Token);

        Assert.Equal(["T-42"], ticket.Calls);
        Assert.Equal("Ticket T-42 is open.", response.Text);

        // The model was offered the tool, and its next request carries the tool's output under the same call id.
        Assert.Contains("lookup_ticket", codex.Model.ModelRequests[0].Body, StringComparison.Ordinal);
        var output = FunctionCallOutput(codex.Model.ModelRequests[1].Body, CallId);
        Assert.Contains("status of T-42: open", output, StringComparison.Ordinal);

        // The caller's history holds codex's call (marked informational by FunctionInvokingChatClient once it invoked
        // it, so a replay never runs it again) and the result beside it.
        var contents = response.Messages.SelectMany(m => m.Contents).ToList();
        var call = Assert.Single(contents.OfType<FunctionCallContent>(), c => c.CallId == CallId);
        Assert.Equal("lookup_ticket", call.Name);
        Assert.Single(contents.OfType<FunctionResultContent>(), r => r.CallId == CallId);

        // One codex turn: the tool call was answered inside it, not by a second turn.
        var sent = new List<CodexEnvelope>();
        while (codex.Audit.Reader.TryRead(out var envelope))
        {
            sent.Add(envelope);
        }

        Assert.Single(sent, e => e.Direction == CodexDirection.Outbound && e.Method == "turn/start");
        Assert.Empty(codex.Client.Runtime.State.PendingServerRequests);
    }

    [Theory]
    [MemberData(nameof(CodexVersions.Both), MemberType = typeof(CodexVersions))]
    public async Task Without_function_invocation_the_stream_ends_at_the_call_and_the_caller_answers_it(string version)
    {
        await using var codex = await AiCodex.CreateAsync(version, "never", null, OptIn, Script());
        using var deadline = new CancellationTokenSource(AiCodex.Deadline);
        var options = new ChatOptions { Tools = [new CountingTicketTool().Function] };

        var first = await codex.Chat.GetResponseAsync("What is the status of T-42?", options, deadline.Token);
        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        var call = Assert.Single(first.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal(CallId, call.CallId);
        Assert.False(call.InformationalOnly);
        Assert.Equal("T-42", ((JsonElement)call.Arguments!["id"]!).GetString());

        // A new message while the call waits is refused and sends nothing; the call still waits.
        options.ConversationId = first.ConversationId;
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => codex.Chat.GetResponseAsync("something else", options, deadline.Token));
        Assert.Contains(CallId, refused.Message, StringComparison.Ordinal);

        var rest = await codex.Chat.GetResponseAsync([new ChatMessage(ChatRole.Tool, [new FunctionResultContent(CallId, "status of T-42: open (by hand)")])], options, deadline.Token);

        Assert.Equal("Ticket T-42 is open.", rest.Text);
        Assert.Equal(first.ResponseId, rest.ResponseId);
        Assert.Contains("(by hand)", FunctionCallOutput(codex.Model.ModelRequests[1].Body, CallId), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(CodexVersions.Both), MemberType = typeof(CodexVersions))]
    public async Task A_ChatClientAgent_with_the_tool_keeps_it_across_processes(string version)
    {
        // codex keeps a thread's dynamic tools with the thread: the agent on a new codex process (resume, no tools sent)
        // still gets the model's call of the tool, and its function-invoking layer invokes it once.
        var ticket = new CountingTicketTool();
        await using var sandbox = await CodexSandbox.CreateAsync(version, "never",
        [
            .. Script(),
            FakeModelResponse.FunctionCall("lookup_ticket", new JsonObject { ["id"] = "T-7" }, "call-ticket-2"),
            FakeModelResponse.Text("Ticket T-7 is open."),
        ]);
        using var deadline = new CancellationTokenSource(AiCodex.Deadline);
        JsonElement saved;
        await using (var codex = AiCodex.Create(sandbox, configure: OptIn))
        {
            var agent = new ChatClientAgent(codex.Chat, instructions: null, name: "support", tools: [ticket.Function]);
            var session = await agent.CreateSessionAsync(deadline.Token);
            var first = await agent.RunAsync("What is the status of T-42?", session, cancellationToken: deadline.Token);
            Assert.Equal("Ticket T-42 is open.", first.Text);
            saved = await agent.SerializeSessionAsync(session, cancellationToken: deadline.Token);
        }

        await using (var codex = AiCodex.Create(sandbox, configure: OptIn))
        {
            var agent = new ChatClientAgent(codex.Chat, instructions: null, name: "support", tools: [ticket.Function]);
            var session = await agent.DeserializeSessionAsync(saved, cancellationToken: deadline.Token);
            var second = await agent.RunAsync("And T-7?", session, cancellationToken: deadline.Token);
            Assert.Equal("Ticket T-7 is open.", second.Text);
        }

        Assert.Equal(["T-42", "T-7"], ticket.Calls);
        Assert.Contains("lookup_ticket", sandbox.Model.ModelRequests[2].Body, StringComparison.Ordinal);
        Assert.Contains("status of T-7: open", FunctionCallOutput(sandbox.Model.ModelRequests[3].Body, "call-ticket-2"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tools_without_the_experimental_opt_in_are_refused_naming_the_codex_version()
    {
        await using var codex = await AiCodex.CreateAsync(CodexVersions.Newest, "never", null, null, Script());
        using var deadline = new CancellationTokenSource(AiCodex.Deadline);

        var error = await Assert.ThrowsAsync<NotSupportedException>(() =>
            codex.Chat.GetResponseAsync("What is the status of T-42?", new ChatOptions { Tools = [new CountingTicketTool().Function] }, deadline.Token));

        Assert.Contains("ExperimentalApi", error.Message, StringComparison.Ordinal);
        Assert.Contains(CodexVersions.Newest, error.Message, StringComparison.Ordinal);
        Assert.Empty(codex.Model.ModelRequests);
    }

    private static void OptIn(ClientConfig config) => config.Runtime.Connection.ExperimentalApi = true;

    private static FakeModelResponse[] Script() =>
    [
        FakeModelResponse.FunctionCall("lookup_ticket", new JsonObject { ["id"] = "T-42" }, CallId),
        FakeModelResponse.Text("Ticket T-42 is open."),
    ];

    /// <summary>The <c>output</c> of the <c>function_call_output</c> input item with <paramref name="callId"/> in a model request body.</summary>
    private static string FunctionCallOutput(string body, string callId)
    {
        using var document = JsonDocument.Parse(body);
        var item = document.RootElement.GetProperty("input").EnumerateArray()
            .Single(i => i.TryGetProperty("type", out var type) && type.GetString() == "function_call_output" && i.GetProperty("call_id").GetString() == callId);
        var output = item.GetProperty("output");
        return output.ValueKind == JsonValueKind.String ? output.GetString()! : output.GetRawText();
    }

    /// <summary>An application tool that records each invocation.</summary>
    private sealed class CountingTicketTool
    {
        private readonly List<string> _calls = [];

        public CountingTicketTool() =>
            Function = AIFunctionFactory.Create(Lookup, "lookup_ticket", "Looks up a support ticket's status by its id.");

        public AIFunction Function { get; }

        public IReadOnlyList<string> Calls
        {
            get
            {
                lock (_calls)
                {
                    return [.. _calls];
                }
            }
        }

        private string Lookup(string id)
        {
            lock (_calls)
            {
                _calls.Add(id);
            }

            return $"status of {id}: open";
        }
    }
}
