using CodexRuntime.AI.Tests.Support;
using CodexRuntime.Testing;
using CodexRuntime.Tests.Shared;
using Microsoft.Extensions.AI;

namespace CodexRuntime.AI.Tests;

/// <summary>
/// Must show 3: codex's approval request ends the stream as M.E.AI's <see cref="ToolApprovalRequestContent"/>; the next
/// call carries the answer and continues the same turn. Proven on disk: the command's file exists exactly when approved.
/// </summary>
public sealed class ApprovalRoundTripTests
{
    public static TheoryData<string, bool> Answers
    {
        get
        {
            var data = new TheoryData<string, bool>();
            foreach (var version in new[] { CodexVersions.Newest, CodexVersions.Floor })
            {
                data.Add(version, true);
                data.Add(version, false);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task The_answer_in_the_next_call_continues_the_same_turn(string version, bool approve)
    {
        await using var codex = await CreateAsync(version, null);
        using var deadline = new CancellationTokenSource(AiCodex.Deadline);

        var first = await ReadAsync(codex.Chat.GetStreamingResponseAsync("create approved.txt", cancellationToken: deadline.Token));
        var request = Assert.IsType<ToolApprovalRequestContent>(Assert.Single(first[^1].Contents));
        var call = Assert.IsType<FunctionCallContent>(request.ToolCall);
        Assert.True(call.InformationalOnly);
        Assert.Equal("commandExecution", call.Name);
        Assert.Contains("touch approved.txt", (string?)call.Arguments?["command"], StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(codex.Workspace, "approved.txt")));

        var second = await ReadAsync(codex.Chat.GetStreamingResponseAsync(
            [new ChatMessage(ChatRole.User, [request.CreateResponse(approve)])],
            new ChatOptions { ConversationId = first[^1].ConversationId },
            deadline.Token));

        // The same turn went on: same thread, same response (turn) id, and codex's own answer to the model's call.
        Assert.Equal(first[^1].ResponseId, Assert.Single(second.Select(u => u.ResponseId).Distinct()));
        Assert.Equal(first[^1].ConversationId, Assert.Single(second.Select(u => u.ConversationId).Distinct()));
        Assert.Equal("done", string.Concat(second.Select(u => u.Text)));
        Assert.Equal(approve, File.Exists(Path.Combine(codex.Workspace, "approved.txt")));
        Assert.Equal(2, codex.Model.ModelRequests.Count);
        Assert.Empty(codex.Client.Runtime.State.PendingServerRequests);
    }

    [Theory]
    [MemberData(nameof(CodexVersions.Both), MemberType = typeof(CodexVersions))]
    public async Task An_unanswered_approval_follows_the_core_deadline(string version)
    {
        await using var codex = await CreateAsync(version, config => config.Runtime.ServerRequests.Deadline = TimeSpan.FromSeconds(2));
        using var deadline = new CancellationTokenSource(AiCodex.Deadline);

        var first = await ReadAsync(codex.Chat.GetStreamingResponseAsync("create approved.txt", cancellationToken: deadline.Token));
        var request = Assert.IsType<ToolApprovalRequestContent>(Assert.Single(first[^1].Contents));

        // Nobody answers: at the deadline the core declines (its deadline policy), and codex asks the model again.
        var followUp = await codex.Model.WaitForModelRequestAsync(2, AiCodex.Deadline);
        var approval = Assert.IsType<CodexApprovalRequest>(request.RawRepresentation);
        Assert.True(approval.IsAnswered);
        Assert.True(followUp.ReceivedAt >= approval.Deadline - TimeSpan.FromMilliseconds(200), $"codex went on at {followUp.ReceivedAt:O}, before the deadline {approval.Deadline:O}.");
        var late = await ReadAsync(codex.Chat.GetStreamingResponseAsync(
            [new ChatMessage(ChatRole.User, [request.CreateResponse(approved: true)])],
            new ChatOptions { ConversationId = first[^1].ConversationId },
            deadline.Token));

        Assert.Equal("done", string.Concat(late.Select(u => u.Text)));
        Assert.False(File.Exists(Path.Combine(codex.Workspace, "approved.txt")));
    }

    [Theory]
    [MemberData(nameof(CodexVersions.Both), MemberType = typeof(CodexVersions))]
    public async Task A_profile_approval_handler_answers_without_the_round_trip(string version)
    {
        var asked = 0;
        var profile = new RunProfile
        {
            ApprovalPolicy = CodexApprovalPolicy.OnRequest,
            Approvals = CodexApprovalHandler.Ask((_, _) =>
            {
                Interlocked.Increment(ref asked);
                return ValueTask.FromResult(CodexApprovalDecision.Accept);
            }),
        };
        await using var codex = await AiCodex.CreateAsync(version, "on-request", profile, null, Script());
        using var deadline = new CancellationTokenSource(AiCodex.Deadline);

        var response = await codex.Chat.GetResponseAsync("create approved.txt", cancellationToken: deadline.Token);

        Assert.Equal("done", response.Text);
        Assert.DoesNotContain(response.Messages.SelectMany(m => m.Contents), c => c is ToolApprovalRequestContent);
        Assert.Equal(1, asked);
        Assert.True(File.Exists(Path.Combine(codex.Workspace, "approved.txt")));
    }

    [Fact]
    public async Task A_new_message_while_an_approval_waits_is_refused_and_the_approval_still_waits()
    {
        await using var codex = await CreateAsync(CodexVersions.Newest, null);
        using var deadline = new CancellationTokenSource(AiCodex.Deadline);
        var first = await ReadAsync(codex.Chat.GetStreamingResponseAsync("create approved.txt", cancellationToken: deadline.Token));
        var request = Assert.IsType<ToolApprovalRequestContent>(Assert.Single(first[^1].Contents));
        var options = new ChatOptions { ConversationId = first[^1].ConversationId };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => codex.Chat.GetResponseAsync("something else", options, deadline.Token));
        Assert.Contains(request.RequestId, error.Message, StringComparison.Ordinal);

        var answered = await codex.Chat.GetResponseAsync([new ChatMessage(ChatRole.User, [request.CreateResponse(approved: true)])], options, deadline.Token);
        Assert.Equal("done", answered.Text);
        Assert.True(File.Exists(Path.Combine(codex.Workspace, "approved.txt")));
    }

    private static FakeModelResponse[] Script() =>
    [
        FakeModelResponse.ExecCommand("touch approved.txt && echo approved-run", requestEscalation: true, callId: "call-cmd"),
        FakeModelResponse.Text("done"),
    ];

    private static Task<AiCodex> CreateAsync(string version, Action<ClientConfig>? configure) =>
        AiCodex.CreateAsync(version, "on-request", new RunProfile { ApprovalPolicy = CodexApprovalPolicy.OnRequest }, configure, Script());

    private static async Task<List<ChatResponseUpdate>> ReadAsync(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        var list = new List<ChatResponseUpdate>();
        await foreach (var update in updates)
        {
            list.Add(update);
        }

        return list;
    }
}
